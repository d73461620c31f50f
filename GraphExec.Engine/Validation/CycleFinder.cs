using GraphExec.Engine;

namespace GraphExec.Engine.Validation;

/// <summary>Orders nodes so every edge points forward, or finds the cycles that make that impossible.</summary>
internal static class CycleFinder
{
    /// <summary>Kahn's algorithm; returns false (and a partial order) when some nodes sit on or behind a cycle.</summary>
    public static bool TryOrder(int nodeCount, IReadOnlyList<ResolvedEdge> edges, out int[] order)
    {
        var successors = Successors(nodeCount, edges);
        var incoming = new int[nodeCount];
        foreach (var edge in edges)
        {
            incoming[edge.ToNode]++;
        }

        var ready = new Queue<int>(Enumerable.Range(0, nodeCount).Where(node => incoming[node] == 0));
        var sorted = new List<int>(nodeCount);
        while (ready.TryDequeue(out var node))
        {
            sorted.Add(node);
            foreach (var (next, _) in successors[node])
            {
                if (--incoming[next] == 0)
                {
                    ready.Enqueue(next);
                }
            }
        }

        order = [.. sorted];
        return sorted.Count == nodeCount;
    }

    /// <summary>
    /// One cycle per strongly connected component that has one (Tarjan's algorithm, iterative so a long
    /// chain cannot overflow the stack): the nodes in order and the index of the edge that closes it.
    /// </summary>
    public static List<(int[] Nodes, int ClosingEdge)> FindCycles(int nodeCount, IReadOnlyList<ResolvedEdge> edges)
    {
        var successors = Successors(nodeCount, edges);
        var index = new int[nodeCount];
        var low = new int[nodeCount];
        var onStack = new bool[nodeCount];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var cycles = new List<(int[], int)>();
        var counter = 0;

        for (var root = 0; root < nodeCount; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            var work = new Stack<(int Node, int Next)>();
            work.Push((root, 0));
            index[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (work.TryPop(out var frame))
            {
                var (node, next) = frame;
                if (next < successors[node].Count)
                {
                    work.Push((node, next + 1));
                    var child = successors[node][next].Node;
                    if (index[child] < 0)
                    {
                        index[child] = low[child] = counter++;
                        stack.Push(child);
                        onStack[child] = true;
                        work.Push((child, 0));
                    }
                    else if (onStack[child])
                    {
                        low[node] = Math.Min(low[node], index[child]);
                    }

                    continue;
                }

                if (work.TryPeek(out var parent))
                {
                    low[parent.Node] = Math.Min(low[parent.Node], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new HashSet<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);

                    if (CycleWithin(component, node, successors) is { } cycle)
                    {
                        cycles.Add(cycle);
                    }
                }
            }
        }

        return cycles;
    }

    /// <summary>A shortest cycle through <paramref name="start"/> inside a component (breadth-first), if it has one.</summary>
    private static (int[], int)? CycleWithin(HashSet<int> component, int start, List<(int Node, int Edge)>[] successors)
    {
        var cameFrom = new Dictionary<int, (int Node, int Edge)>();
        var queue = new Queue<int>([start]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var (next, edge) in successors[node])
            {
                if (next == start)
                {
                    var path = new List<int> { node };
                    while (path[^1] != start)
                    {
                        path.Add(cameFrom[path[^1]].Node);
                    }

                    path.Reverse();
                    return ([.. path], edge);
                }

                if (component.Contains(next) && cameFrom.TryAdd(next, (node, edge)))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private static List<(int Node, int Edge)>[] Successors(int nodeCount, IReadOnlyList<ResolvedEdge> edges)
    {
        var successors = new List<(int, int)>[nodeCount];
        for (var node = 0; node < nodeCount; node++)
        {
            successors[node] = [];
        }

        for (var i = 0; i < edges.Count; i++)
        {
            successors[edges[i].FromNode].Add((edges[i].ToNode, i));
        }

        return successors;
    }
}

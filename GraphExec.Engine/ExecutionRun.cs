using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Json;
using GraphExec.Engine.Secrets;

namespace GraphExec.Engine;

/// <summary>
/// One run of a plan: the one execution algorithm. A single driver owns all state. A node becomes
/// ready when every connected input has settled (fired or dead); the driver starts ready nodes in
/// order, and a node whose block completes synchronously is finished inline, with no task, closure
/// or dictionary allocated. A node that yields (I/O) counts against the parallelism limit and hands
/// its outcome back through a channel. Dead inputs skip a node (per its join policy), and a skipped
/// node's outputs are dead in turn, so skips spread to everything downstream.
/// </summary>
internal sealed class ExecutionRun : NodeHost
{
    private readonly GraphEngine _engine;
    private readonly ExecutionPlan _plan;
    private readonly ExecutionRequest _request;
    private readonly ExecutionOptions _options;
    private readonly int _depth;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenSource _stop;

    private readonly NodeStatus[] _status;
    private readonly int[] _unsettled;
    private readonly int[] _dead;
    private readonly int[] _attempts;
    private readonly long[] _startedAt;
    private readonly long[] _finishedAt;
    private readonly ExecutionError?[] _errors;
    private readonly NodeResult?[] _restored;
    private readonly Queue<int> _ready = new();
    private readonly Stack<int> _skipped = new();
    private Channel<(int Node, NodeOutcome Outcome)>? _completions;

    /// <summary>The span the node spans are children of; null when the trace is not recorded.</summary>
    private readonly Activity? _trace;
    private Activity?[]? _spans;

    private int _inFlight;
    private long _sequence;
    private ExecutionError? _failure;
    private readonly ExecutionBudget _budget;

    /// <param name="budget">The parent's, for a child graph; a new one for an execution.</param>
    /// <param name="secrets">The parent's, for a child graph; a new one for an execution.</param>
    public ExecutionRun(
        GraphEngine engine, ExecutionPlan plan, ExecutionRequest request, int depth, CancellationToken cancellationToken,
        ExecutionBudget? budget = null, SecretVault? secrets = null)
        : base(plan.Layout, engine.TimeProvider, engine.Options.MaxValueBytes, secrets ?? new SecretVault(request.Secrets))
    {
        _engine = engine;
        _budget = budget ?? new ExecutionBudget(engine.Options, request.Limits);
        _plan = plan;
        _request = request;
        _options = engine.Options;
        _depth = depth;

        // A child graph runs under its parent's token, and so within its parent's deadline.
        _deadline = depth == 0 && _options.Timeout is { } timeout ? new CancellationTokenSource(timeout, TimeProvider) : null;
        _stop = _deadline is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);

        var count = plan.NodeCount;
        _status = new NodeStatus[count];
        _unsettled = (int[])plan.ConnectedInputs.Clone();
        _dead = new int[count];
        _attempts = new int[count];
        _startedAt = new long[count];
        _finishedAt = new long[count];
        _errors = new ExecutionError?[count];
        _restored = new NodeResult?[count];
        _sequence = request.LastSequence;
        _trace = ExecutionTracing.RecordedParent();
    }

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public async Task<ExecutionResult> RunAsync()
    {
        var startedAt = Now;
        Emit(ExecutionEventType.ExecutionStarted, -1, nameof(ExecutionStatus.Running));
        try
        {
            for (var node = 0; node < _plan.NodeCount; node++)
            {
                if (_unsettled[node] == 0)
                {
                    _ready.Enqueue(node);
                }
            }

            Restore();
            while (true)
            {
                while (_inFlight < _options.MaxDegreeOfParallelism && !_stop.IsCancellationRequested && _ready.TryDequeue(out var node))
                {
                    Start(node);
                }

                if (_inFlight == 0)
                {
                    break;
                }

                await FinishYieldedNodesAsync().ConfigureAwait(false);
            }

            return Complete(startedAt);
        }
        finally
        {
            _stop.Dispose();
            _deadline?.Dispose();
        }
    }

    public override string NodeId(int node) => _plan.NodeIds[node];

    public override bool TryGetGraphInput(string name, out JsonNode? value) => _request.Inputs.TryGetValue(name, out value);

    public override async Task<ExecutionResult> RunGraphAsync(
        int node, GraphReference graph, IReadOnlyDictionary<string, JsonNode?> inputs, CancellationToken cancellationToken)
    {
        if (_depth + 1 > _options.MaxGraphDepth)
        {
            throw new BlockException($"Graphs nest more than {_options.MaxGraphDepth} levels deep: does a graph run itself?");
        }

        try
        {
            if (_budget.TakeChildRun(NodeId(node)) is { } overBudget)
            {
                throw new BudgetExceededException(overBudget);
            }

            var resolver = _request.Resolver ?? throw new BlockException("This execution cannot run other graphs.");
            var plan = await resolver.ResolveAsync(graph, cancellationToken).ConfigureAwait(false)
                ?? throw new BlockException($"There is no {graph}.");
            var child = new ExecutionRequest { ExecutionId = _request.ExecutionId, Inputs = inputs, Resolver = resolver };
            return await new ExecutionRun(_engine, plan, child, _depth + 1, cancellationToken, _budget, Secrets).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _budget.EndChildRun();
        }
    }

    private void Start(int node)
    {
        _status[node] = NodeStatus.Running;
        _startedAt[node] = Now.UtcTicks;
        Emit(ExecutionEventType.NodeStarted, node, nameof(NodeStatus.Running));

        var pending = _trace is null ? RunNodeAsync(node) : RunNodeInSpan(node);
        if (pending.IsCompleted)
        {
            Finish(node, pending.Result); // Completed: reading the result does not block.
        }
        else
        {
            // Created on first need: graphs whose blocks all complete synchronously never hand anything over.
            _completions ??= Channel.CreateUnbounded<(int, NodeOutcome)>(new UnboundedChannelOptions { SingleReader = true });
            _inFlight++;
            _ = ForwardAsync(node, pending, _completions.Writer);
        }
    }

    /// <summary>
    /// Runs the node with its span current, so that the node's own calls (http, child graphs) are its children, and the
    /// driver's current span back as it was for the next node.
    /// </summary>
    private ValueTask<NodeOutcome> RunNodeInSpan(int node)
    {
        var driver = Activity.Current;
        if (!_budget.TakeNodeSpan(out var first))
        {
            if (first)
            {
                _trace!.AddEvent(new ActivityEvent(ExecutionTracing.NodeSpansLimited));
            }

            return RunNodeAsync(node);
        }

        var span = ExecutionTracing.Source.StartActivity($"node {NodeId(node)}", ActivityKind.Internal, _trace!.Context);
        if (span is not null)
        {
            span.SetTag(ExecutionTracing.NodeId, NodeId(node));
            span.SetTag(ExecutionTracing.BlockType, _plan.Graph.Nodes[node].Block);
            (_spans ??= new Activity?[_plan.NodeCount])[node] = span;
        }

        try
        {
            return RunNodeAsync(node);
        }
        finally
        {
            Activity.Current = driver;
        }
    }

    private void EndSpan(int node, NodeOutcome outcome)
    {
        var span = _spans?[node];
        if (span is null)
        {
            return;
        }

        _spans![node] = null;
        span.SetTag(ExecutionTracing.NodeStatus, outcome.Status.ToString());
        span.SetTag(ExecutionTracing.NodeAttempts, _attempts[node]);
        if (outcome.Status == NodeStatus.Failed)
        {
            // The code, not the message: a message may quote the values the node was given.
            span.SetTag(ExecutionTracing.ErrorCode, outcome.Error?.Code);
            span.SetStatus(ActivityStatusCode.Error, outcome.Error?.Code);
        }

        var driver = Activity.Current;
        span.Stop();
        Activity.Current = driver;
    }

    private static async Task ForwardAsync(int node, ValueTask<NodeOutcome> pending, ChannelWriter<(int, NodeOutcome)> completions)
    {
        // RunNodeAsync catches everything, so this never faults.
        var outcome = await pending.ConfigureAwait(false);
        completions.TryWrite((node, outcome));
    }

    private async ValueTask FinishYieldedNodesAsync()
    {
        var reader = _completions!.Reader;
        if (!reader.TryPeek(out _))
        {
            await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
        }

        while (reader.TryRead(out var completion))
        {
            _inFlight--;
            Finish(completion.Node, completion.Outcome);
        }
    }

    /// <summary>Runs a node's attempts with its retry policy and timeout; never throws.</summary>
    private async ValueTask<NodeOutcome> RunNodeAsync(int node)
    {
        var settings = _plan.Settings[node];
        for (var attempt = 1; ; attempt++)
        {
            _attempts[node] = attempt;
            if (_budget.TakeNodeRun(NodeId(node)) is { } overBudget)
            {
                // Deterministic: another attempt would only spend more.
                ClearOutputs(node);
                return NodeOutcome.Failed(overBudget with { NodeId = NodeId(node) });
            }

            ExecutionError error;
            var deadline = settings.Timeout is { } timeout ? new NodeDeadline(timeout, TimeProvider, _stop.Token) : null;
            try
            {
                var block = _plan.Blocks[node];
                if (block.Secrets.Count > 0)
                {
                    // Read at the moment the node needs them, once per execution.
                    await Secrets.ResolveAsync(block.Secrets, deadline?.Token ?? _stop.Token).ConfigureAwait(false);
                }

                await block.ExecuteAsync(new NodeContext(this, node, deadline?.Token ?? _stop.Token)).ConfigureAwait(false);
                return CheckOutputs(node);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return NodeOutcome.Cancelled;
            }
            catch (SecretMissingException ex)
            {
                // Deterministic until the owner creates the secret: another attempt would fail the same way.
                return NodeOutcome.Failed(new ExecutionError(ExecutionError.SecretMissing, ex.Message, NodeId(node)));
            }
            catch (OperationCanceledException) when (deadline?.HasExpired == true)
            {
                error = new ExecutionError(ExecutionError.NodeTimedOut, $"The node did not finish within {Describe(settings.Timeout!.Value)}.", NodeId(node));
            }
            catch (ValueTooLargeException ex)
            {
                error = new ExecutionError(ExecutionError.ValueTooLarge, ex.Message, NodeId(node));
            }
            catch (BudgetExceededException ex)
            {
                ClearOutputs(node);
                return NodeOutcome.Failed(ex.Error with { NodeId = NodeId(node) });
            }
            catch (Exception ex)
            {
                error = new ExecutionError(ExecutionError.BlockFailed, ex.Message, NodeId(node));
            }
            finally
            {
                deadline?.Dispose();
            }

            ClearOutputs(node);
            if (attempt >= settings.MaxAttempts)
            {
                return NodeOutcome.Failed(error);
            }

            try
            {
                await Task.Delay(settings.Backoff(attempt, _options.Jitter), TimeProvider, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return NodeOutcome.Cancelled;
            }
        }
    }

    /// <summary>
    /// Fails the node when a value it produced is over the size limit, takes the execution over its budget of bytes,
    /// or holds text that cannot be stored.
    /// </summary>
    private NodeOutcome CheckOutputs(int node)
    {
        for (var slot = Layout.OutputStart[node]; slot < Layout.OutputStart[node + 1]; slot++)
        {
            if (States[slot] != SlotState.Fired || IsPartOfAnInput(node, Values[slot]))
            {
                continue;
            }

            if (!Secrets.IsEmpty)
            {
                Values[slot] = Secrets.Apply(Values[slot]);
            }

            if (CheckOutput(node, slot) is { } error)
            {
                ClearOutputs(node);
                return NodeOutcome.Failed(error);
            }
        }

        return NodeOutcome.Succeeded;
    }

    /// <summary>
    /// Why the value the node fired at <paramref name="slot"/> cannot go on, if it cannot. One measure, stopped at the
    /// value limit, serves both that limit and the execution's budget of bytes produced.
    /// </summary>
    private ExecutionError? CheckOutput(int node, int slot)
    {
        var port = _plan.OutputNames[node][slot - Layout.OutputStart[node]];
        var size = JsonValues.MeasureUpTo(Values[slot], _options.MaxValueBytes);
        if (size > _options.MaxValueBytes)
        {
            return new ExecutionError(
                ExecutionError.ValueTooLarge,
                $"Output '{port}' is larger than the limit of {_options.MaxValueBytes.ToString(CultureInfo.InvariantCulture)} bytes for a value.",
                NodeId(node));
        }

        if (_budget.TakeBytes(NodeId(node), size) is { } overBudget)
        {
            return overBudget with { NodeId = NodeId(node) };
        }

        return StorableText.Find(Values[slot], JsonPointer.Root) is { } unstorable
            ? new ExecutionError(
                ExecutionError.ValueNotStorable,
                $"Output '{port}'{(unstorable.Pointer.Length > 0 ? " at " + unstorable.Pointer : "")} cannot be stored. {unstorable.Problem}",
                NodeId(node))
            : null;
    }

    /// <summary>
    /// True for a value passed on from an input, or found inside one: it was measured when its node
    /// fired it, so measuring it again would only cost time on every pass-through, and it takes no more
    /// memory, so it does not count against the bytes produced either.
    /// </summary>
    private bool IsPartOfAnInput(int node, JsonNode? value)
    {
        var root = value?.Root;
        if (root is null)
        {
            return false;
        }

        for (var i = Layout.InputStart[node]; i < Layout.InputStart[node + 1]; i++)
        {
            var slot = Layout.InputSlots[i];
            if (slot >= 0 && States[slot] == SlotState.Fired && ReferenceEquals(Values[slot]?.Root, root))
            {
                return true;
            }
        }

        return false;
    }

    private void Finish(int node, NodeOutcome outcome)
    {
        // An error message may quote what the block sent (a URL with a key in it).
        outcome = outcome with { Error = Secrets.Apply(outcome.Error) };
        _finishedAt[node] = Now.UtcTicks;
        _status[node] = outcome.Status;
        _errors[node] = outcome.Error;
        EndSpan(node, outcome);
        switch (outcome.Status)
        {
            case NodeStatus.Succeeded:
                Emit(ExecutionEventType.NodeCompleted, node, nameof(NodeStatus.Succeeded), withOutputs: true);
                Release(node);
                break;
            case NodeStatus.Failed when _plan.ErrorPorts[node] >= 0:
                new NodeContext(this, node, CancellationToken.None).SetOutput(_plan.ErrorPorts[node], ToJson(outcome.Error!));
                Emit(ExecutionEventType.NodeFailed, node, nameof(NodeStatus.Failed), error: outcome.Error);
                Release(node);
                break;
            case NodeStatus.Failed:
                Emit(ExecutionEventType.NodeFailed, node, nameof(NodeStatus.Failed), error: outcome.Error);
                _failure ??= outcome.Error;
                _stop.Cancel();
                break;
            default:
                Emit(ExecutionEventType.NodeFailed, node, nameof(NodeStatus.Cancelled));
                break;
        }
    }

    /// <summary>Settles the inputs a finished node feeds, then skips whatever that leaves without a value.</summary>
    private void Release(int node)
    {
        ReleaseOutputs(node);
        while (_skipped.TryPop(out var skipped))
        {
            _status[skipped] = NodeStatus.Skipped;
            Emit(ExecutionEventType.NodeSkipped, skipped, nameof(NodeStatus.Skipped));
            ReleaseOutputs(skipped);
        }
    }

    private void ReleaseOutputs(int node)
    {
        for (var slot = Layout.OutputStart[node]; slot < Layout.OutputStart[node + 1]; slot++)
        {
            var dead = States[slot] != SlotState.Fired;
            if (dead)
            {
                States[slot] = SlotState.Dead;
            }

            for (var i = _plan.ConsumerStart[slot]; i < _plan.ConsumerStart[slot + 1]; i++)
            {
                Settle(_plan.Consumers[i], dead);
            }
        }
    }

    private void Settle(int node, bool dead)
    {
        if (dead)
        {
            _dead[node]++;
        }

        if (--_unsettled[node] > 0 || _status[node] != NodeStatus.Pending)
        {
            return;
        }

        var skip = _plan.Blocks[node].Join == JoinPolicy.All
            ? _dead[node] > 0
            : _dead[node] == _plan.ConnectedInputs[node];
        if (skip)
        {
            _skipped.Push(node);
        }
        else
        {
            _ready.Enqueue(node);
        }
    }

    /// <summary>Takes back the nodes a previous run finished, then settles what they feed, in topological order.</summary>
    private void Restore()
    {
        if (_request.CompletedNodes.Count == 0)
        {
            return;
        }

        foreach (var result in _request.CompletedNodes)
        {
            if (!_plan.TryGetIndex(result.NodeId, out var node) || !IsFinal(result, node))
            {
                continue;
            }

            _restored[node] = result;
            _status[node] = result.Status;
            foreach (var (port, value) in result.Outputs)
            {
                var index = Array.IndexOf(_plan.OutputNames[node], port);
                if (index >= 0)
                {
                    new NodeContext(this, node, CancellationToken.None).SetOutput(index, value);
                }
            }
        }

        // Restored nodes cannot be ready: they were roots, or their sources are restored too.
        var queued = _ready.Where(node => _restored[node] is null).ToList();
        _ready.Clear();
        queued.ForEach(_ready.Enqueue);
        foreach (var node in _plan.TopologicalOrder)
        {
            if (_restored[node] is { } restored)
            {
                if (_request.AnnounceCompletedNodes)
                {
                    Announce(node, restored);
                }

                Release(node);
            }
        }
    }

    /// <summary>Tells a restored node's outcome as its run did, so that a retry's watchers see the nodes it reuses end.</summary>
    private void Announce(int node, NodeResult restored)
    {
        switch (restored.Status)
        {
            case NodeStatus.Succeeded:
                Emit(ExecutionEventType.NodeCompleted, node, nameof(NodeStatus.Succeeded), withOutputs: true);
                break;
            case NodeStatus.Skipped:
                Emit(ExecutionEventType.NodeSkipped, node, nameof(NodeStatus.Skipped));
                break;
            default:
                Emit(ExecutionEventType.NodeFailed, node, nameof(NodeStatus.Failed), error: restored.Error);
                break;
        }
    }

    private bool IsFinal(NodeResult result, int node) => result.Status switch
    {
        NodeStatus.Succeeded or NodeStatus.Skipped => true,
        NodeStatus.Failed => _plan.ErrorPorts[node] >= 0,
        _ => false,
    };

    private ExecutionResult Complete(DateTimeOffset startedAt)
    {
        var finished = _status.All(status => status is NodeStatus.Succeeded or NodeStatus.Skipped or NodeStatus.Failed);
        // The tree as a whole went over its budget: that is why it failed, whichever node reported it up here.
        var failure = _depth == 0 && _failure is not null && _budget.Exceeded is { } exceeded ? exceeded : _failure;
        var (status, error) = failure is not null ? (ExecutionStatus.Failed, failure)
            : finished ? (ExecutionStatus.Succeeded, null)
            : _deadline?.IsCancellationRequested == true
                ? (ExecutionStatus.TimedOut, new ExecutionError(ExecutionError.TimedOut, $"The execution did not finish within {Describe(_options.Timeout!.Value)}."))
                : (ExecutionStatus.Cancelled, new ExecutionError(ExecutionError.Cancelled, "The execution was cancelled."));

        var outputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, node) in _plan.OutputNodes)
        {
            if (_status[node] == NodeStatus.Succeeded)
            {
                outputs[name] = Values[Layout.InputSlots[Layout.InputStart[node]]];
            }
        }

        var nodes = new NodeResult[_plan.NodeCount];
        for (var node = 0; node < nodes.Length; node++)
        {
            nodes[node] = _restored[node] ?? new NodeResult
            {
                NodeId = NodeId(node),
                Status = _status[node],
                Inputs = new PortValueMap(_plan.InputNames[node], Layout.InputSlots, Layout.InputStart[node], this),
                Outputs = OutputsOf(node),
                Error = _errors[node],
                Attempts = _attempts[node],
                StartedAt = Time(_startedAt[node]),
                FinishedAt = Time(_finishedAt[node]),
            };
        }

        var finishedAt = Now;
        _sequence++;
        _request.Observer?.OnEvent(new ExecutionEvent
        {
            ExecutionId = _request.ExecutionId,
            Sequence = _sequence,
            Type = ExecutionEventType.ExecutionCompleted,
            Status = status.ToString(),
            Outputs = error is null ? outputs : null,
            Error = error,
            Timestamp = finishedAt,
        });

        return new ExecutionResult
        {
            ExecutionId = _request.ExecutionId,
            Status = status,
            Outputs = outputs,
            Error = error,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Nodes = nodes,
            LastSequence = _sequence,
        };
    }

    private PortValueMap OutputsOf(int node) => new(_plan.OutputNames[node], _plan.SlotIdentity, Layout.OutputStart[node], this);

    private void Emit(ExecutionEventType type, int node, string status, ExecutionError? error = null, bool withOutputs = false)
    {
        _sequence++;
        _request.Observer?.OnEvent(new ExecutionEvent
        {
            ExecutionId = _request.ExecutionId,
            Sequence = _sequence,
            Type = type,
            NodeId = node >= 0 ? NodeId(node) : null,
            Status = status,
            Outputs = withOutputs ? OutputsOf(node) : null,
            Error = error,
            Timestamp = Now,
        });
    }

    private static DateTimeOffset? Time(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

    private static JsonObject ToJson(ExecutionError error) => new()
    {
        ["code"] = error.Code,
        ["message"] = error.Message,
        ["nodeId"] = error.NodeId,
    };

    private static string Describe(TimeSpan time) => time.TotalSeconds < 1
        ? $"{time.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms"
        : $"{time.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
}

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// The input ports of a node: its block's fixed inputs, then one required input per variable its
/// templates and expressions mention (by the first segment of the path), in order of first use.
/// </summary>
public sealed class VariablePorts
{
    private readonly List<PortDescriptor> _ports;

    public VariablePorts(IEnumerable<PortDescriptor>? fixedPorts = null) => _ports = [.. fixedPorts ?? []];

    public IReadOnlyList<PortDescriptor> Ports => _ports;

    public int PortOf(string name)
    {
        var index = _ports.FindIndex(port => port.Name == name);
        if (index >= 0)
        {
            return index;
        }

        _ports.Add(new PortDescriptor(name, PortType.Any, $"The value of '{name}'.", Required: true));
        return _ports.Count - 1;
    }
}

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// The input ports of a node: its block's fixed inputs, then one required input per variable its
/// templates and expressions mention (by the first segment of the path), in order of first use; and the
/// secrets its templates name (<c>{{secrets.NAME}}</c>), which are read when the node runs, not wired to ports.
/// </summary>
public sealed class VariablePorts
{
    /// <summary>The first segment that names a secret rather than an input.</summary>
    public const string SecretsRoot = "secrets";

    private readonly List<PortDescriptor> _ports;
    private readonly List<string> _secrets = [];

    public VariablePorts(IEnumerable<PortDescriptor>? fixedPorts = null) => _ports = [.. fixedPorts ?? []];

    public IReadOnlyList<PortDescriptor> Ports => _ports;

    public IReadOnlyList<string> Secrets => _secrets;

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

    public void UseSecret(string name)
    {
        if (!_secrets.Contains(name, StringComparer.Ordinal))
        {
            _secrets.Add(name);
        }
    }
}

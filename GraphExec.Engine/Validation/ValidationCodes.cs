namespace GraphExec.Engine.Validation;

/// <summary>The stable codes of <see cref="ValidationError"/>, for clients that react to a kind of problem.</summary>
public static class ValidationCodes
{
    public const string InvalidJson = "invalid_json";
    public const string TooLarge = "too_large";
    public const string InvalidType = "invalid_type";
    public const string MissingProperty = "missing_property";
    public const string UnknownProperty = "unknown_property";
    public const string InvalidValue = "invalid_value";
    public const string InvalidNodeId = "invalid_node_id";
    public const string DuplicateNodeId = "duplicate_node_id";
    public const string UnknownBlock = "unknown_block";
    public const string InvalidConfig = "invalid_config";

    /// <summary>A config names a secret (<c>{{secrets.NAME}}</c>) the owner has no credential for; the Api checks, the engine cannot.</summary>
    public const string UnknownSecret = "unknown_secret";

    /// <summary>
    /// The settings name a graph (<c>settings.errorGraphId</c>) the owner has no graph for, or the graph itself; the Api
    /// checks, the engine cannot.
    /// </summary>
    public const string UnknownGraph = "unknown_graph";
    public const string DuplicateName = "duplicate_name";
    public const string InvalidEndpoint = "invalid_endpoint";
    public const string UnknownNode = "unknown_node";
    public const string UnknownPort = "unknown_port";
    public const string InputConnectedTwice = "input_connected_twice";
    public const string RequiredInputUnconnected = "required_input_unconnected";
    public const string PortTypeMismatch = "port_type_mismatch";
    public const string Cycle = "cycle";
    public const string TooManyNodes = "too_many_nodes";
    public const string TooManyEdges = "too_many_edges";
}

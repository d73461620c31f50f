namespace GraphExec.AppHost.Infrastructure;

/// <summary>The three servers every service connects to, whichever <see cref="Mode"/> provides them.</summary>
public sealed record GraphExecInfrastructure(
    InfrastructureMode Mode,
    string Reason,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Broker,
    IResourceBuilder<IResourceWithConnectionString> Cache);

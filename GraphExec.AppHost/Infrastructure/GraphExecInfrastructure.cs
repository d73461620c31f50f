namespace GraphExec.AppHost.Infrastructure;

/// <summary>The four servers the services connect to, whichever <see cref="Mode"/> provides them.</summary>
public sealed record GraphExecInfrastructure(
    InfrastructureMode Mode,
    string Reason,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Broker,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IResourceWithConnectionString> Blobs);

namespace GraphExec.Engine.Secrets;

/// <summary>Node <see cref="NodeId"/> names the owner's secret <see cref="Name"/> in its config.</summary>
public sealed record SecretReference(string NodeId, string Name);

namespace GraphExec.Web.Executions;

/// <summary>Where a node's bar sits on the timeline, in percent of the span of the nodes' own work.</summary>
public sealed record TimelineBar(double Left, double Width);

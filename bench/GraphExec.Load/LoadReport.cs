using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GraphExec.Load;

/// <summary>What a load run measured; written as JSON and appended to a Markdown file as a table.</summary>
public sealed record LoadReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public required string Label { get; init; }

    public required string Mode { get; init; }

    public required int Users { get; init; }

    public required int Webhooks { get; init; }

    public required int Concurrency { get; init; }

    public required double FiringSeconds { get; init; }

    public required int Triggers { get; init; }

    public required int Accepted { get; init; }

    /// <summary>Due in the open loop while every request slot was busy: the client, not the service, fell behind.</summary>
    public required int NotSent { get; init; }

    public required IReadOnlyDictionary<string, int> Errors { get; init; }

    public required double AcceptedPerSecond { get; init; }

    public required int Completed { get; init; }

    /// <summary>Deliveries that asked to wait (<c>--wait</c>) and were answered once their run had ended.</summary>
    public required int AnsweredWhenDone { get; init; }

    public required int Succeeded { get; init; }

    public required double CompletedPerSecond { get; init; }

    /// <summary>Accepted triggers whose execution the Api does not list: must be 0.</summary>
    public required int Missing { get; init; }

    /// <summary>Accepted triggers whose execution had not ended when the drain time was up.</summary>
    public required int Unfinished { get; init; }

    public required Latency TriggerToStarted { get; init; }

    public required Latency TriggerToFirstNode { get; init; }

    public required Latency TriggerToCompleted { get; init; }

    /// <summary>From sending a delivery to its answer, for those answered when done: what a sender that waits sees.</summary>
    public required Latency TriggerToAnsweredWhenDone { get; init; }

    /// <summary>CPU time from the first measured trigger until every execution ended, per process role; null off Linux.</summary>
    public CpuUse? Cpu { get; init; }

    /// <summary>CPU milliseconds per accepted execution of one role, or of the whole machine.</summary>
    public double MillisecondsPerExecution(double seconds) => Accepted == 0 ? double.NaN : seconds * 1000 / Accepted;

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public string ToMarkdown()
    {
        var errors = Errors.Count == 0 ? "none" : string.Join(", ", Errors.Select(e => $"{e.Key}×{e.Value}"));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"#### {StartedAt:yyyy-MM-dd HH:mm} UTC · {Mode}, {FiringSeconds:0} s, {Users} users × {Webhooks / Users} webhooks, {Concurrency} in flight{(Label.Length > 0 ? " · " + Label : "")}");
        text.AppendLine();
        text.AppendLine("| triggers | accepted | accepted/s | completed | completed/s | missing | unfinished | errors |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {Triggers:N0} | {Accepted:N0} | {AcceptedPerSecond:0} | {Completed:N0} ({Succeeded:N0} succeeded) | {CompletedPerSecond:0} | {Missing} | {Unfinished} | {errors}{(NotSent > 0 ? $"; {NotSent:N0} not sent (client busy)" : "")}{(AnsweredWhenDone > 0 ? $"; {AnsweredWhenDone:N0} answered when done" : "")} |");
        text.AppendLine();
        text.AppendLine("| latency, ms | p50 / p90 / p99 / max | of |");
        text.AppendLine("| --- | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| trigger → execution started | {TriggerToStarted} | {TriggerToStarted.Count:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| trigger → first node started | {TriggerToFirstNode} | {TriggerToFirstNode.Count:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| trigger → completed | {TriggerToCompleted} | {TriggerToCompleted.Count:N0} |");
        if (TriggerToAnsweredWhenDone.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| trigger → answered when done (seen by the sender) | {TriggerToAnsweredWhenDone} | {TriggerToAnsweredWhenDone.Count:N0} |");
        }
        if (Cpu is not null)
        {
            text.AppendLine();
            text.AppendLine("| CPU, from the first measured trigger until every execution ended | CPU s | ms per execution | share of the machine |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var role in Cpu.Roles.Where(r => r.Seconds > 0))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {role.Role} | {role.Seconds:0.0} | {MillisecondsPerExecution(role.Seconds):0.00} | {role.Seconds / Cpu.MachineSeconds:0%} |");
            }

            var measured = Cpu.Roles.Sum(r => r.Seconds);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| **all measured processes** | {measured:0.0} | **{MillisecondsPerExecution(measured):0.00}** | {measured / Cpu.MachineSeconds:0%} |");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| whole machine (busy, other users included) | {Cpu.MachineSeconds:0.0} | {MillisecondsPerExecution(Cpu.MachineSeconds):0.00} | 100% |");
        }

        return text.ToString();
    }
}

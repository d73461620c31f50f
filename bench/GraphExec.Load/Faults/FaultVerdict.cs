using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GraphExec.Load.Faults;

/// <summary>What the database says after a fault run; a clean run has 0 lost, 0 duplicated, 0 stuck, 0 re-run.</summary>
public sealed record FaultVerdict
{
    /// <summary>Accepted triggers (a 202 with an execution id) with no execution row.</summary>
    public required int Lost { get; init; }

    /// <summary>Deliveries with more than one execution, or executions answered to more than one delivery.</summary>
    public required int Duplicated { get; init; }

    /// <summary>Executions of the run not in a terminal state when the drain time was up.</summary>
    public required int Stuck { get; init; }

    /// <summary>Nodes whose completion was recorded and that then ran again (a second recorded completion with another start).</summary>
    public required int NodesRunTwice { get; init; }

    public required int Executions { get; init; }

    public required IReadOnlyDictionary<string, int> ByStatus { get; init; }

    /// <summary>Executions claimed more than once: their worker died, or their lease ran out, and another took over.</summary>
    public required int TakenOver { get; init; }

    public required int WorkersKilled { get; init; }

    public required IReadOnlyList<string> Faults { get; init; }

    public bool Clean => Lost == 0 && Duplicated == 0 && Stuck == 0 && NodesRunTwice == 0;

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Faults: {string.Join("; ", Faults)}.");
        text.AppendLine();
        text.AppendLine("| executions | by status | taken over | lost | duplicated | stuck | recorded nodes run twice |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {Executions:N0} | {string.Join(", ", ByStatus.Select(s => $"{s.Key} {s.Value:N0}"))} | {TakenOver:N0} | **{Lost}** | **{Duplicated}** | **{Stuck}** | **{NodesRunTwice}** |");
        return text.ToString();
    }
}

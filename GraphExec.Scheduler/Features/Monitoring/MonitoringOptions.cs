using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Monitoring;

public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>How often the gauges of <see cref="SystemGauges"/> are read from RabbitMQ and PostgreSQL.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The RabbitMQ queues whose ready messages and consumers are reported.</summary>
    [MinLength(1)]
    public string[] Queues { get; set; } = ["execute-graph", "execute-graph_error", "execute-graph-fault"];
}

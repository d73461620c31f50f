using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Executions;

/// <summary>This worker process, as leases and its own cancellation queue name it.</summary>
public sealed class WorkerInstance(IOptions<WorkerOptions> options)
{
    public string Id { get; } = options.Value.InstanceId
        // The pid tells a person which process it is; the random part keeps a restarted process with the same pid apart.
        ?? $"{Sanitize(Environment.MachineName)}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private static string Sanitize(string name)
    {
        var cleaned = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        return cleaned.Length > 40 ? cleaned[..40] : cleaned;
    }
}

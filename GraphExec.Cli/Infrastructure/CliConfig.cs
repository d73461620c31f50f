using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// What <c>graphexec login</c> keeps: the Api's address, the personal access token and, optionally, the Live hub's
/// address. The file is the user's alone (0600 on Unix) since it holds the token.
/// </summary>
public sealed record CliConfig(string? Url, string? Token, string? LiveUrl)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static CliConfig Empty { get; } = new(null, null, null);

    /// <summary>The stored config, or <see cref="Empty"/> when there is none.</summary>
    public static CliConfig Read(string file)
    {
        if (!File.Exists(file))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(file), Options) ?? Empty;
        }
        catch (JsonException ex)
        {
            throw CliFailure.Usage($"{file} is not a GraphExec config ({ex.Message}): delete it or run 'graphexec login' again.");
        }
    }

    /// <summary>Writes the config readable and writable by the user alone, created so from the start (no moment of 0644).</summary>
    public void Write(string file)
    {
        var directory = Path.GetDirectoryName(file)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(file, JsonSerializer.Serialize(this, Options));
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = file + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, this, Options);
        }

        // A rename replaces the old file whole: it never holds half a config, and the new one has the new one's mode.
        File.Move(temporary, file, overwrite: true);
    }
}

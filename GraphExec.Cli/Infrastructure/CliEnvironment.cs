namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// The environment variables the command line reads (<c>GRAPHEXEC_URL</c>, <c>GRAPHEXEC_TOKEN</c>, <c>GRAPHEXEC_LIVE_URL</c>,
/// <c>XDG_CONFIG_HOME</c>, <c>HOME</c>), behind a function so that tests give each invocation an environment of its own.
/// </summary>
public sealed record CliEnvironment(Func<string, string?> Variable)
{
    public const string UrlVariable = "GRAPHEXEC_URL";
    public const string TokenVariable = "GRAPHEXEC_TOKEN";
    public const string LiveUrlVariable = "GRAPHEXEC_LIVE_URL";

    public static CliEnvironment Current { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>
    /// <c>$XDG_CONFIG_HOME/graphexec/config.json</c>, else <c>~/.config/graphexec/config.json</c> (the XDG base directory
    /// default), the same on every operating system so that the documentation has one answer.
    /// </summary>
    public string ConfigFile
    {
        get
        {
            var configHome = Variable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(configHome))
            {
                var home = Variable("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                configHome = Path.Combine(home, ".config");
            }

            return Path.Combine(configHome, "graphexec", "config.json");
        }
    }
}

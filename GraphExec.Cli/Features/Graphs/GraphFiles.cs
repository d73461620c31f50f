using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Graphs;

/// <summary>The graph files that the paths of a command line name: files as given, folders' <c>*.json</c> files below them.</summary>
public static class GraphFiles
{
    /// <summary>
    /// Every file, in a stable order (a folder's files by path, ordinal), once each; hidden folders (<c>.git</c>) are
    /// skipped.
    /// </summary>
    /// <exception cref="CliFailure">A path is neither a file nor a folder (exit code 2).</exception>
    public static IReadOnlyList<string> Collect(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(InFolder(new DirectoryInfo(path)).Select(file => Path.Combine(path, Path.GetRelativePath(path, file)))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw CliFailure.Usage($"{path}: no such file or folder.");
            }
        }

        return [.. files.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A file name for a graph's name: lower-case ASCII letters and digits, anything else a single dash, at most 64
    /// characters (<c>Nightly report (EU)</c> → <c>nightly-report-eu</c>).
    /// </summary>
    public static string Slug(string name)
    {
        var slug = new System.Text.StringBuilder();
        foreach (var c in name.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark
                && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        text = text.Length > 64 ? text[..64].TrimEnd('-') : text;
        return text.Length == 0 ? "graph" : text;
    }

    private static IEnumerable<string> InFolder(DirectoryInfo folder) =>
        folder.EnumerateFiles("*.json").Select(file => file.FullName)
            .Concat(folder.EnumerateDirectories().Where(d => !d.Name.StartsWith('.')).SelectMany(InFolder));
}

using System.Globalization;

namespace GraphExec.Engine.Json;

/// <summary>Builds RFC 6901 JSON pointers such as <c>/nodes/2/config/template</c>.</summary>
public static class JsonPointer
{
    public const string Root = "";

    public static string Append(string pointer, string token) =>
        string.Concat(pointer, "/", token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));

    public static string Append(string pointer, int index) =>
        string.Concat(pointer, "/", index.ToString(CultureInfo.InvariantCulture));
}

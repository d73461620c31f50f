namespace GraphExec.Engine.Graphs;

/// <summary>The rule shared by node ids, port names and graph input and output names: <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
public static class Names
{
    public const int MaxLength = 64;

    public const string Rule = "1 to 64 letters, digits, '_' or '-'";

    public const string Pattern = "^[A-Za-z0-9_-]{1,64}$";

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

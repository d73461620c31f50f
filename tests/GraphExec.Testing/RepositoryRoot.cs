namespace GraphExec.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding <c>GraphExec.sln</c>, found upwards from the test assembly.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GraphExec.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"GraphExec.sln was not found above {AppContext.BaseDirectory}.");
    }
}

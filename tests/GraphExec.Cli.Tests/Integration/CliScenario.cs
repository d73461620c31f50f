namespace GraphExec.Cli.Tests.Integration;

/// <summary>A test whose every case starts as a new <see cref="CliUser"/> with an empty folder of graph files.</summary>
public abstract class CliScenario
{
    protected CliUser User { get; private set; } = null!;

    protected TemporaryFolder Folder { get; private set; } = null!;

    [SetUp]
    public async Task SignUpAsync()
    {
        User = await CliUser.SignUpAsync();
        Folder = new TemporaryFolder();
    }

    [TearDown]
    public void Clean()
    {
        Folder.Dispose();
        User.Dispose();
    }
}

using System.Xml.Linq;
using GraphExec.Testing;

namespace GraphExec.Engine.Tests.Layout;

/// <summary>
/// The one-way references of ARCHITECTURE.md, read from every project file of the repository: Engine ← Core ← services,
/// ServiceDefaults ← services, services never reference each other, and the Web talks to the others over HTTP only.
/// </summary>
public sealed class Keeping_the_project_layout
{
    private const string Engine = "GraphExec.Engine";
    private const string Core = "GraphExec.Core";
    private const string Hosting = "GraphExec.Hosting";
    private const string ServiceDefaults = "GraphExec.ServiceDefaults";
    private const string Contracts = "GraphExec.Contracts";
    private const string Web = "GraphExec.Web";
    private const string Cli = "GraphExec.Cli";

    private static readonly string[] Services = ["GraphExec.Api", "GraphExec.Webhooks", "GraphExec.Scheduler", "GraphExec.Worker", "GraphExec.Live"];

    /// <summary>Every project at the top of the repository, so that a new one is placed in the layout on purpose.</summary>
    private static readonly string[] TopLevel =
        [Engine, Core, Hosting, ServiceDefaults, Contracts, Web, Cli, "GraphExec.AppHost", .. Services];

    /// <summary>Packages that do I/O (a database, a broker, a cache, HTTP hosting), by name prefix.</summary>
    private static readonly string[] IoPackages =
        ["Microsoft.EntityFrameworkCore", "EFCore.", "Npgsql", "MassTransit", "StackExchange.Redis", "Microsoft.AspNetCore", "Aspire."];

    private static readonly Lazy<Dictionary<string, ProjectFile>> Projects = new(ReadProjects);

    [Test]
    public void Should_find_every_project_of_the_layout_and_no_other_at_the_top()
    {
        var topLevel = Projects.Value.Values.Where(p => p.IsTopLevel).Select(p => p.Name).ToList();

        Assert.That(topLevel, Is.SupersetOf(TopLevel), "a project of the layout is missing: the rules below would not see it");
        Assert.That(topLevel.Except(TopLevel), Is.Empty, "a new project at the top: give it its place in ARCHITECTURE.md and in this test");
    }

    [Test]
    public void Should_let_the_engine_reference_no_project() =>
        AssertReferencesOnly(Engine, [], "the engine is pure: persistence and live events plug in through its ports");

    [Test]
    public void Should_let_core_reference_the_engine_only() =>
        AssertReferencesOnly(Core, [Engine], "Core builds on the engine and on nothing of the hosting");

    [Test]
    public void Should_let_service_defaults_reference_no_project() =>
        AssertReferencesOnly(ServiceDefaults, [], "ServiceDefaults is infrastructure only, with no domain in it");

    [Test]
    public void Should_let_contracts_reference_no_project() =>
        AssertReferencesOnly(Contracts, [], "the hub contract that Live and the Web share stands alone");

    [Test]
    public void Should_let_hosting_reference_core_and_service_defaults_only() =>
        AssertReferencesOnly(Hosting, [Core, ServiceDefaults], "Hosting wires the domain into the infrastructure");

    [TestCaseSource(nameof(Services))]
    public void Should_let_a_service_reference_core_hosting_service_defaults_and_contracts_only(string service) =>
        AssertReferencesOnly(service, [Core, Hosting, ServiceDefaults, Contracts], "services never reference each other");

    [Test]
    public void Should_let_the_web_reference_service_defaults_and_contracts_only() =>
        AssertReferencesOnly(Web, [ServiceDefaults, Contracts],
            "the Web talks to the Api and Live over HTTP with wire types of its own, never Core, Engine or Hosting");

    [Test]
    public void Should_let_the_command_line_reference_the_engine_and_contracts_only() =>
        AssertReferencesOnly(Cli, [Engine, Contracts],
            "the command line validates with the engine and talks to the Api and Live over HTTP, never through Core, Hosting or a service");

    [Test]
    public void Should_keep_io_packages_out_of_the_engine()
    {
        var engine = Project(Engine);

        var io = engine.Packages.Where(package => IoPackages.Any(prefix => package.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));

        Assert.That(io, Is.Empty, $"{Engine} is pure: no package of EF Core, Npgsql, MassTransit, Redis, ASP.NET or Aspire");
        Assert.That(engine.Frameworks, Has.None.EqualTo("Microsoft.AspNetCore.App"), $"{Engine} is pure: no ASP.NET Core");
    }

    private static void AssertReferencesOnly(string project, string[] allowed, string why)
    {
        var forbidden = Project(project).References.Except(allowed, StringComparer.OrdinalIgnoreCase).ToList();

        Assert.That(forbidden, Is.Empty,
            $"{project} may reference {(allowed.Length == 0 ? "no project" : "only " + string.Join(", ", allowed))}: {why}.");
    }

    private static ProjectFile Project(string name) =>
        Projects.Value.TryGetValue(name, out var project)
            ? project
            : throw new AssertionException($"{name}.csproj was not found under {RepositoryRoot.Find()}.");

    private static Dictionary<string, ProjectFile> ReadProjects()
    {
        var root = RepositoryRoot.Find();
        var files = ProjectFiles(new DirectoryInfo(root)).ToList();
        var twice = files.GroupBy(f => Path.GetFileNameWithoutExtension(f.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.That(twice, Is.Empty, "two project files of the same name");

        return files.Select(file => ProjectFile.Read(file, isTopLevel: file.Directory!.Parent!.FullName == root))
            .ToDictionary(project => project.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every <c>.csproj</c> below <paramref name="directory"/>, but not in build output or hidden folders.</summary>
    private static IEnumerable<FileInfo> ProjectFiles(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles("*.csproj"))
        {
            yield return file;
        }

        var below = directory.EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.') && d.Name is not ("bin" or "obj" or "node_modules"));
        foreach (var file in below.SelectMany(ProjectFiles))
        {
            yield return file;
        }
    }

    private sealed record ProjectFile(string Name, bool IsTopLevel, string[] References, string[] Packages, string[] Frameworks)
    {
        public static ProjectFile Read(FileInfo file, bool isTopLevel)
        {
            var items = XDocument.Load(file.FullName).Descendants().ToList();
            string[] Included(string item) =>
                [.. items.Where(e => e.Name.LocalName == item).Select(e => (string?)e.Attribute("Include")).OfType<string>()];

            return new ProjectFile(
                Path.GetFileNameWithoutExtension(file.Name),
                isTopLevel,
                [.. Included("ProjectReference").Select(path => Path.GetFileNameWithoutExtension(path.Replace('\\', '/')))],
                Included("PackageReference"),
                Included("FrameworkReference"));
        }
    }
}

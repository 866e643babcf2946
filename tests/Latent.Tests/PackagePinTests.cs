// Directory.Packages.props pins only what is used: every PackageVersion is named by a PackageReference of some
// project (a pin nobody references is a version nobody tests and a package a newcomer wonders about), and every
// PackageReference has its pin (central package management would fail the build anyway; said here by name).
using System.Xml.Linq;

namespace Latent.Tests;

public class PackagePinTests
{
    private static DirectoryInfo Root() => new(TestData.RepositoryRoot);

    private static IEnumerable<string> Includes(string file, string element) =>
        XDocument.Load(file).Descendants(element).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    [Fact]
    public void EveryPinnedPackageIsReferencedAndEveryReferenceIsPinned()
    {
        DirectoryInfo root = Root();
        string[] pins = [.. Includes(Path.Combine(root.FullName, "Directory.Packages.props"), "PackageVersion")];
        string[] projects = [.. new[] { "src", "tests", "bench" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root.FullName, d), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];
        Assert.True(projects.Length >= 8, $"found only {projects.Length} projects under src, tests and bench");
        var used = projects.SelectMany(p => Includes(p, "PackageReference")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(pins);
        Assert.All(pins, pin => Assert.True(used.Contains(pin), $"Directory.Packages.props pins {pin}, which no project references: drop the pin."));
        Assert.All(used, u => Assert.True(pins.Contains(u, StringComparer.OrdinalIgnoreCase), $"a project references {u}, which Directory.Packages.props does not pin."));
    }
}

// The README is the user's first page: its first code block holds exactly the two commands (the main job and the
// test suite), it links nothing outside the repository (a clone has no ../shared), and every repository path it
// names (docs/..., results/..., scripts/...) exists, so moving a file cannot leave the README pointing at nothing.
using System.Text.RegularExpressions;

namespace Latent.Tests;

public partial class ReadmeTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    [Fact]
    public void TheFirstCodeBlockHoldsTheMainJobAndTheTestCommand()
    {
        Match block = FirstBlock().Match(Readme);
        Assert.True(block.Success, "README.md has no fenced code block");
        string[] commands = [.. block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        Assert.Equal(2, commands.Length);
        Assert.StartsWith("dotnet run -c Release --project src/Latent.Cli -- ", commands[0], StringComparison.Ordinal);
        Assert.Equal("bash scripts/test.sh", commands[1]);
        Assert.Contains("bash scripts/test.sh", File.ReadAllText(Path.Combine(Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void NothingOutsideTheRepositoryIsNamed() =>
        Assert.DoesNotContain("../", Readme, StringComparison.Ordinal);

    [Fact]
    public void EveryRepositoryPathTheReadmeNamesExists()
    {
        var paths = RepoPath().Matches(Readme).Select(m => m.Groups[1].Value.TrimEnd('.', ',', ')', ':')).Distinct().ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(Root, p)) || Directory.Exists(Path.Combine(Root, p)),
            $"README.md names {p}, which is not in the repository"));
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstBlock();

    // a path in backticks that starts with one of the repository's top folders
    [GeneratedRegex(@"`((?:docs|results|scripts|bench/results|tests/Latent\.Tests/Fixtures)/[^`\s*{}|]+)`")]
    private static partial Regex RepoPath();

    private static string FindRoot() => TestData.RepositoryRoot;
}

// Every committed benchmark or experiment log (results/**, bench/results/*: .txt, .log, .out) can be traced to the code
// and toolchain that made it: it records its commit and .NET SDK itself (scripts/provenance.sh writes that first
// line), or a provenance.txt beside it does (a script that writes many logs into one folder), or, for logs written
// before that, results/LOG-PROVENANCE.md lists it (scripts/log-provenance.sh). Every experiment and bench script
// sources provenance.sh.
namespace Latent.Tests;

public class LogProvenanceTests
{
    private static string Root() => TestData.RepositoryRoot;

    [Fact]
    public void EveryLogRecordsItsCommitAndSdkOrIsListed()
    {
        string root = Root();
        string listed = File.ReadAllText(Path.Combine(root, "results", "LOG-PROVENANCE.md"));
        var logs = new[] { "results", Path.Combine("bench", "results") }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
            .Where(f => Path.GetExtension(f) is ".txt" or ".log" or ".out" && Path.GetFileName(f) != "provenance.txt")
            .ToList();
        Assert.True(logs.Count > 50, $"found only {logs.Count} logs");
        var unknown = logs.Where(f =>
        {
            string text = File.ReadAllText(f);
            bool recorded = text.Contains("commit", StringComparison.OrdinalIgnoreCase) && text.Contains("sdk", StringComparison.OrdinalIgnoreCase);
            string rel = Path.GetRelativePath(root, f).Replace('\\', '/');
            return !recorded && !File.Exists(Path.Combine(Path.GetDirectoryName(f)!, "provenance.txt")) && !listed.Contains($"`{rel}`", StringComparison.Ordinal);
        }).Select(f => Path.GetRelativePath(root, f)).ToList();
        Assert.True(unknown.Count == 0, $"logs that record neither commit and SDK nor are listed in results/LOG-PROVENANCE.md: {string.Join(", ", unknown)}; start the script's log with scripts/provenance.sh");
    }

    [Fact]
    public void EveryBenchAndExperimentScriptRecordsProvenance()
    {
        string scripts = Path.Combine(Root(), "scripts");
        var missing = Directory.EnumerateFiles(scripts, "*.sh")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("bench-", StringComparison.Ordinal) || n.StartsWith("experiments-", StringComparison.Ordinal) || n == "flows-ood.sh"))
            .Where(f => !File.ReadAllText(f).Contains("provenance", StringComparison.Ordinal) && !File.ReadAllText(f).Contains("bench-env.sh", StringComparison.Ordinal))
            .Select(Path.GetFileName).ToList();
        Assert.True(missing.Count == 0, $"scripts whose logs do not record commit and SDK: {string.Join(", ", missing)}");
    }
}

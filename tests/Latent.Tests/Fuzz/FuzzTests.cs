// Issue 12's fuzzer in the suite: each reader of user files runs a fixed number of mutated inputs from a fixed seed
// over the committed corpus (deterministic: the same inputs on every run, a few seconds each) and must refuse every
// bad one with the project's own clear error: no other exception type, no invariant broken by an accepted file, no
// input above 256 MB of allocation or 5 s. A failure lists each distinct finding with its minimal reproducer in hex;
// the reproducers are also written to fuzz-findings/<target>/ beside the test assembly. scripts/fuzz.sh runs the
// same campaigns for minutes with a random seed. Each campaign also checks it reached some depth (refusal sites),
// so a broken corpus or mutator cannot pass by refusing everything at the first byte.
using Xunit.Abstractions;

namespace Latent.Tests.Fuzz;

[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 12;

    [Fact]
    public void IdxReaderGivesOnlyCleanErrors() => Campaign(FuzzTargets.Idx(), iterations: 4000, minRefusalSites: 6);

    [Fact]
    public void PngDecoderGivesOnlyCleanErrors() => Campaign(FuzzTargets.Png(), iterations: 4000, minRefusalSites: 15);

    [Fact]
    public void ImageDecodersGiveOnlyCleanErrors() => Campaign(FuzzTargets.Images(), iterations: 1500, minRefusalSites: 10);

    [Fact]
    public void CsvReaderGivesOnlyCleanErrors() => Campaign(FuzzTargets.Csv(), iterations: 3000, minRefusalSites: 4);

    [Fact]
    public void ParquetReaderGivesOnlyCleanErrors() => Campaign(FuzzTargets.Parquet(), iterations: 1500, minRefusalSites: 2);

    [Fact]
    public void CheckpointReaderGivesOnlyCleanErrors() => Campaign(FuzzTargets.Checkpoint(), iterations: 3000, minRefusalSites: 10);

    [Fact]
    public void AutoencoderFileLoadGivesOnlyCleanErrors() => Campaign(FuzzTargets.Autoencoder(), iterations: 1500, minRefusalSites: 15);

    [Fact]
    public void ImageFolderReaderGivesOnlyCleanErrors() => Campaign(FuzzTargets.ImageFolder(), iterations: 1500, minRefusalSites: 10);

    [Fact]
    public void JudgeFileLoadGivesOnlyCleanErrors() => Campaign(FuzzTargets.Judge(), iterations: 1500, minRefusalSites: 6);

    private void Campaign(FuzzTarget target, int iterations, int minRefusalSites)
    {
        FuzzReport report = new FuzzCampaign(target, FuzzSettings.FromEnvironment(Seed, iterations)).Run();
        output.WriteLine(report.Describe());
        Assert.True(report.Findings.Count == 0,
            $"{report.Findings.Count} distinct findings (reproducers in {Path.Combine(report.Settings.FindingsDir, target.Name)}):\n{report.Describe()}");
        Assert.True(report.RefusalSites.Count >= minRefusalSites,
            $"the campaign reached only {report.RefusalSites.Count} distinct refusal sites (expected {minRefusalSites} or more): are the corpus and mutator intact?\n{report.Summary()}");
    }
}

// The committed fuzz corpus: every valid seed is accepted by its reader (otherwise mutations of it would not get
// past the first check), and the committed files are those FuzzCorpus writes. With LATENT_FUZZ_WRITE_CORPUS set to
// a folder (scripts/fuzz.sh --make-corpus) the test writes the corpus there first.
using Latent.Nn.Checkpoints;
using Latent.Data.Png;
using Latent.Models;

namespace Latent.Tests.Fuzz;

[Collection(FuzzCollection.Name)]
public sealed class FuzzCorpusTests
{
    private static readonly Lazy<SortedDictionary<string, byte[]>> Generated = new(() =>
    {
        SortedDictionary<string, byte[]> files = FuzzCorpus.Build();
        if (Environment.GetEnvironmentVariable("LATENT_FUZZ_WRITE_CORPUS") is { Length: > 0 } dir) FuzzCorpus.Write(dir);
        return files;
    });

    private static IEnumerable<string> Committed(string target) =>
        Directory.GetFiles(Path.Combine(FuzzTargets.CorpusDir, target)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Theory]
    [InlineData("idx")]
    [InlineData("png")]
    [InlineData("checkpoint")]
    [InlineData("judge")]
    public void CommittedCorpusHasTheGeneratedFiles(string target) =>
        Assert.Equal(Generated.Value.Keys.Where(k => k.StartsWith(target + "/", StringComparison.Ordinal)).Select(Path.GetFileName), Committed(target));

    [Theory]
    [InlineData("idx")]
    [InlineData("png")]
    public void CommittedIdxAndPngSeedsAreTheGeneratedBytes(string target)
    {
        foreach (string name in Committed(target))
            Assert.True(Generated.Value[$"{target}/{name}"].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(FuzzTargets.CorpusDir, target, name))),
                $"{target}/{name} differs from what FuzzCorpus writes; run scripts/fuzz.sh --make-corpus");
    }

    [Fact]
    public void EveryValidSeedIsAcceptedByItsReader()
    {
        foreach (string name in Committed("idx").Where(n => !n.StartsWith("bad-", StringComparison.Ordinal)))
            FuzzTargets.ReadIdx(Path.Combine(FuzzTargets.CorpusDir, "idx", name));
        foreach (string name in Committed("png").Where(n => !n.StartsWith("bad-", StringComparison.Ordinal)))
        {
            PngImage image = PngDecoder.Load(Path.Combine(FuzzTargets.CorpusDir, "png", name));
            Assert.Equal((5, 7), (image.Width, image.Height));
        }
        foreach (string name in Committed("checkpoint").Where(n => !n.StartsWith("bad-", StringComparison.Ordinal)))
        {
            string path = Path.Combine(FuzzTargets.CorpusDir, "checkpoint", name);
            Assert.True(Checkpoint.Read(path).Tensors.Count > 0);
            FuzzTargets.LoadAndScore(path);
            var loaded = ModelFile.Load(path);
            Assert.Equal(loaded.Entry.IsTrained ? 1 : 0, loaded.Epoch);
        }
        foreach (string name in Committed("judge").Where(n => !n.StartsWith("bad-", StringComparison.Ordinal)))
            FuzzTargets.LoadJudge(Path.Combine(FuzzTargets.CorpusDir, "judge", name));
        foreach (string name in Committed("judge").Where(n => n.StartsWith("bad-", StringComparison.Ordinal)))
            Assert.Throws<InvalidDataException>(() => FuzzTargets.LoadJudge(Path.Combine(FuzzTargets.CorpusDir, "judge", name)));
        using var scratch = new TempDir();                                       // the target writes a folder beside its input
        foreach (string name in Committed("png").Where(n => !n.StartsWith("bad-", StringComparison.Ordinal)))
        {
            File.Copy(Path.Combine(FuzzTargets.CorpusDir, "png", name), scratch.File("input.png"), overwrite: true);
            FuzzTargets.LoadImageFolder(scratch.File("input.png"));
        }
    }

    [Fact]
    public void CorpusFilesAreSmall()
    {
        var sizes = Directory.GetFiles(FuzzTargets.CorpusDir, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f).Length).ToList();
        // 40 KB: the smallest InfoGAN (its Q head) and RealNVP checkpoints are 20 to 40 KB, most of it the JSON header
        Assert.All(sizes, s => Assert.InRange(s, 1, 40 << 10));
        Assert.InRange(sizes.Sum(), 1, 1 << 20);
    }
}

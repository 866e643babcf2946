// `latent score` streaming in batches (issue 18, items 2 and 3): the rows are the same whatever the batch size, the
// shards of --shard I/N concatenate to the single run byte for byte (CSV after the first shard's header, JSON Lines as
// they are), a folder tree is walked in a fixed order with names below the folder, a corrupt image is skipped by path
// and counted (or stops the run with --strict), --with-z adds the code, --fdr over a stream flags exactly what
// Benjamini-Hochberg over all the p-values flags, and every bad --shard, --batch-size and --with-z is a one-line error.
using System.Globalization;
using System.Text.Json;
using Latent.Data.Png;
using Latent.Models.Conformal;
using Latent.Tests.Reporting;

namespace Latent.Tests.Cli.Scoring;

public sealed class StreamingScoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _model;

    public StreamingScoreTests()
    {
        _model = _dir.File("m.safetensors");
        CliRunner.TrainTinyVaeOnThrees(_model);
    }

    /// <summary>The same model trained holding out half its images for calibration (p-values and decisions).</summary>
    private string Calibrated()
    {
        string path = _dir.File("calibrated.safetensors");
        CliRunner.TrainTinyVaeOnThrees(path, "--calibration", "0.5");
        return path;
    }

    public void Dispose() => _dir.Dispose();

    private static string Idx => Path.Combine(TestData.SubsetDir, "t10k-images-idx3-ubyte");

    private CliResult Score(params string[] args) => ScoreWith(_model, args);

    private static CliResult ScoreWith(string model, params string[] args)
    {
        var r = CliRunner.Run(["score", "--model-file", model, .. args]);
        Assert.True(r.ExitCode == 0, r.Err);
        return r;
    }

    [Fact]
    public void RowsDoNotDependOnTheBatchSize()
    {
        string whole = Score("--input", Idx, "--score", "recon,latent-nll", "--format", "csv", "--batch-size", "256").Out;
        Assert.Equal(201, whole.TrimEnd('\n').Split('\n').Length);
        foreach (string b in new[] { "1", "7", "64" })
            Assert.Equal(whole, Score("--input", Idx, "--score", "recon,latent-nll", "--format", "csv", "--batch-size", b).Out);
    }

    [Theory]
    [InlineData("csv", 3, 16)]
    [InlineData("jsonl", 4, 16)]
    [InlineData("csv", 20, 32)]     // 7 batches for 20 shards: most shards are empty
    public void ShardsConcatenateToTheSingleRun(string format, int shards, int batch)
    {
        string[] common = ["--input", Idx, "--format", format, "--batch-size", batch.ToString(CultureInfo.InvariantCulture), "--alpha", "0.2"];
        string model = Calibrated();
        string single = ScoreWith(model, common).Out;
        var joined = new System.Text.StringBuilder();
        for (int i = 0; i < shards; i++)
        {
            string part = ScoreWith(model, [.. common, "--shard", $"{i}/{shards}"]).Out;
            if (format == "csv" && i > 0)
            {
                Assert.StartsWith("index,path,", part, StringComparison.Ordinal);   // every shard is a whole CSV file
                part = part[(part.IndexOf('\n', StringComparison.Ordinal) + 1)..];
            }
            joined.Append(part);
        }
        Assert.Equal(single, joined.ToString());
    }

    [Fact]
    public void ShardsWrittenToFilesSayWhichImagesTheyHold()
    {
        string a = _dir.File("a.jsonl");
        var r = Score("--input", Idx, "--batch-size", "50", "--shard", "1/2", "--output", a);
        Assert.StartsWith($"wrote 100 rows (jsonl) to {a}", r.Out, StringComparison.Ordinal);
        var first = JsonDocument.Parse(File.ReadLines(a).First()).RootElement;
        Assert.Equal(100, first.GetProperty("index").GetInt32());         // indices are the whole input's
        Assert.Equal("t10k-images-idx3-ubyte[100]", first.GetProperty("name").GetString());
    }

    [Fact]
    public void AFolderTreeIsWalkedInNameOrderWithNamesBelowTheFolder()
    {
        var test = TestData.SubsetTest;
        string root = _dir.File("tree");
        string[] names = ["b/0.png", "a.png", "b/c/1.png", "b.png", "a0/2.png"];
        for (int i = 0; i < names.Length; i++)
        {
            string path = Path.Combine(root, names[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            PngEncoder.Save(path, PngImage.FromGrayFloats(test.Image(i), 28, 28));
        }
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), root);       // a link loop: not followed
        var r = Score("--input", root, "--json", "--score", "recon");
        using var doc = JsonDocument.Parse(r.Out);
        string[] got = [.. doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
        Assert.Equal(["a.png", "a0/2.png", "b/0.png", "b/c/1.png", "b.png"], got);   // depth first, each folder's entries in ordinal order
        var text = CliRunner.Run("score", "--model-file", _model, "--input", root, "--score", "recon");
        Assert.Contains("1 symbolic link(s) to folders", text.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptImageIsSkippedByPathAndCountedOrStopsTheRunWithStrict()
    {
        string folder = UserImageFolders.Write(_dir.File("fives"), TestData.SubsetTest, 5);
        string bad = Path.Combine(folder, "0000-x.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);    // a PNG signature, then nothing
        string csv = _dir.File("fives.csv");
        var r = Score("--input", folder, "--output", csv, "--batch-size", "8");
        Assert.Contains("; 1 skipped (unreadable, or another size; --strict stops at the first)", r.Out, StringComparison.Ordinal);
        Assert.Contains($"latent: skipped: {bad}: PNG file is truncated", r.Err, StringComparison.Ordinal);
        Assert.Equal(21, File.ReadAllLines(csv).Length);                   // the header and the 20 fives
        Assert.DoesNotContain(File.ReadAllLines(csv), l => l.Contains("0000-x", StringComparison.Ordinal));

        File.WriteAllText(csv, "old\n");
        var strict = CliRunner.Run("score", "--model-file", _model, "--input", folder, "--output", csv, "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal($"latent: error: {bad}: PNG file is truncated: 10 bytes, too few for the signature and the IHDR chunk (33).", strict.Err.Trim());
        Assert.Equal("old\n", File.ReadAllText(csv));                     // the output is untouched
        Assert.Empty(Directory.GetFiles(_dir.Path, "fives.csv.tmp-*", new EnumerationOptions { MatchType = MatchType.Simple }));
    }

    [Fact]
    public void WithZTheRowsCarryTheCodeAndAModelWithoutOneIsAnError()
    {
        var json = Score("--input", Idx, "--score", "recon", "--json", "--with-z", "--batch-size", "64");
        using var doc = JsonDocument.Parse(json.Out);
        var samples = doc.RootElement.GetProperty("samples");
        string csv = Score("--input", Idx, "--score", "recon", "--format", "csv", "--with-z", "--batch-size", "64").Out;
        string[] lines = csv.TrimEnd('\n').Split('\n');
        Assert.EndsWith(",z0,z1", lines[0], StringComparison.Ordinal);
        for (int i = 0; i < 200; i += 37)
        {
            string[] cells = lines[i + 1].Split(',');
            var z = samples[i].GetProperty("z");
            Assert.Equal(2, z.GetArrayLength());
            Assert.Equal(z[0].GetSingle(), float.Parse(cells[^2], CultureInfo.InvariantCulture));
            Assert.Equal(z[1].GetSingle(), float.Parse(cells[^1], CultureInfo.InvariantCulture));
        }

        string gaussian = _dir.File("g.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "gaussian", "--dataset", TestData.SubsetDir, "--class", "3", "--out", gaussian).ExitCode);
        var r = CliRunner.Run("score", "--model-file", gaussian, "--input", Idx, "--with-z");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--with-z: the gaussian model in", r.Err, StringComparison.Ordinal);
        Assert.Contains("has no latent code to give (no encoder); drop --with-z.", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void FdrOverAStreamFlagsWhatBenjaminiHochbergOverAllTheImagesFlags()
    {
        var r = ScoreWith(Calibrated(), "--input", Idx, "--score", "recon", "--fdr", "0.3", "--json", "--batch-size", "16");
        using var doc = JsonDocument.Parse(r.Out);
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().ToArray();
        double[] p = [.. samples.Select(s => s.GetProperty("pValues").GetProperty("recon").GetDouble())];
        bool[] expected = BenjaminiHochberg.Reject(p, 0.3);
        Assert.Equal(expected, samples.Select(s => s.GetProperty("decisions").GetProperty("recon").GetString() == "novel"));
        Assert.Contains(expected, v => v);
    }

    [Fact]
    public void ATableLongerThanOneBatchHasOneHeaderAndEveryRow()
    {
        string text = Score("--input", Idx, "--score", "recon", "--batch-size", "32").Out;
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(202, lines.Length);              // title, header, 200 rows
        Assert.Single(lines, l => l.Contains("image", StringComparison.Ordinal) && l.Contains("recon", StringComparison.Ordinal));
        Assert.EndsWith("t10k-images-idx3-ubyte[199]", lines[^1].Trim().Split("  ", StringSplitOptions.RemoveEmptyEntries)[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3/2", "--shard 3/2: shards are numbered 0 to N-1, so shard 3 of 2 does not exist; the last is --shard 1/2.")]
    [InlineData("0/0", "--shard 0/0: the number of shards N must be at least 1, e.g. --shard 0/4.")]
    [InlineData("x", "--shard x: give I/N, shard I (0 to N-1) of N, e.g. --shard 0/4 ... --shard 3/4.")]
    [InlineData("-1/2", "--shard -1/2: give I/N")]
    [InlineData("1/2/3", "--shard 1/2/3: give I/N")]
    public void BadShardsAreOneLineUsageErrors(string shard, string message)
    {
        var r = CliRunner.Run("score", "--model-file", _model, "--input", Idx, "--shard", shard);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.StartsWith($"latent: error: {message}", r.Err.Trim(), StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void FdrWithAShardAndABadBatchSizeAreUsageErrors()
    {
        var r = CliRunner.Run("score", "--model-file", Calibrated(), "--input", Idx, "--fdr", "0.1", "--shard", "0/2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--fdr ranks the p-values of every image scored, and shard 0/2 sees only its share", r.Err, StringComparison.Ordinal);
        r = CliRunner.Run("score", "--model-file", _model, "--input", Idx, "--batch-size", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--batch-size 0: give 1 to 65536 images", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AnImageBombIsRefusedFromItsHeaderEvenWithResize()
    {
        string folder = _dir.File("bomb");
        Directory.CreateDirectory(folder);
        PngEncoder.Save(Path.Combine(folder, "a.png"), PngImage.FromGrayFloats(new float[28 * 28], 28, 28));
        File.WriteAllBytes(Path.Combine(folder, "b.png"), PngBuilder.File(PngBuilder.Ihdr(60000, 60000, 8, 0), PngBuilder.Zlib(new byte[10])));
        var r = Score("--input", folder, "--resize", "--json");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("scored").GetInt32());
        Assert.Contains("b.png", doc.RootElement.GetProperty("skipped")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

// folder:PATH on the command line (issue 18 item 4): a folder of class folders in six formats, with a corrupt JPEG, a
// truncated PNG and a symbolic link looping back to the root, runs classmodel to the end naming each skipped file and
// the count (and the link not followed); --strict stops at the first bad file instead; score --input folder:PATH names
// each image class/file; explore maps a model on the folder's classes; the split held out is InterleavedSplit's.
using System.Text.Json;
using Latent.Cli;
using Latent.Tests.Data.Images;

namespace Latent.Tests.Cli;

public sealed class ClassFoldersCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>root/{a,b}/NN.ext: 15 images a class, the formats in turn; class b is a colour pattern, class a gray.</summary>
    private string Tree()
    {
        string root = _dir.File("tree");
        for (int i = 0; i < 15; i++)
        {
            string ext = ImageSamples.Extensions[i % 6];
            Directory.CreateDirectory(Path.Combine(root, "a"));
            Directory.CreateDirectory(Path.Combine(root, "b"));
            File.WriteAllBytes(Path.Combine(root, "a", $"{i:00}{ext}"), ImageSamples.Gray(ext, 8, 6));
            File.WriteAllBytes(Path.Combine(root, "b", $"{i:00}{ext}"), ImageSamples.Colour(ext, 8, 6));
        }
        File.WriteAllBytes(Path.Combine(root, "a", "bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 1]);
        byte[] png = ImageSamples.Gray(".png", 8, 6);
        File.WriteAllBytes(Path.Combine(root, "b", "cut.png"), png[..(png.Length / 2)]);
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "loop"), "..");
        return root;
    }

    [Fact]
    public void ClassModelSkipsAndNamesBadFilesOrStopsWithStrict()
    {
        string root = Tree();
        var r = CliRunner.Run("classmodel", "--dataset", "folder:" + root, "--real", "a", "--fake", "b", "--model", "pca", "--latent", "2", "--channels", "3", "--json");
        Assert.DoesNotContain("held out as the test split", r.Err, StringComparison.Ordinal);   // notes are silent with --json, skipped files are not
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"skipped {Path.Combine(root, "a", "bad.jpg")}: ", r.Err, StringComparison.Ordinal);
        Assert.Contains($"skipped {Path.Combine(root, "b", "cut.png")}: PNG file is truncated", r.Err, StringComparison.Ordinal);
        Assert.Contains("skipped 2 images that could not be read (add --strict to stop at the first instead)", r.Err, StringComparison.Ordinal);
        Assert.Contains($"not followed: {Path.Combine(root, "a", "loop")} (a symbolic link to ..) leads to a folder already read", r.Err, StringComparison.Ordinal);
        var results = JsonDocument.Parse(r.Out).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, x => x.GetProperty("auroc").GetDouble() == 1.0);   // gray against colour: told apart

        var plain = CliRunner.Run("classmodel", "--dataset", "folder:" + root, "--real", "a", "--fake", "b", "--model", "pca", "--latent", "2", "--channels", "3");
        Assert.Contains("30 images in 2 classes; 6 held out as the test split (--validation 0.2 of each class)", plain.Err, StringComparison.Ordinal);

        var strict = CliRunner.Run("classmodel", "--dataset", "folder:" + root, "--real", "a", "--fake", "b", "--model", "pca", "--latent", "2", "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains($"latent: error: {Path.Combine(root, "a", "bad.jpg")}: ", strict.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainOnAClassAndScoreTheTreeByClassAndFile()
    {
        string root = Tree();
        string model = _dir.File("a.safetensors");
        var t = CliRunner.Run("train", "--model", "pca", "--latent", "2", "--dataset", "folder:" + root, "--class", "a", "--channels", "1", "--out", model);
        Assert.True(t.ExitCode == 0, t.Err);
        var s = CliRunner.Run("score", "--model-file", model, "--input", "folder:" + root, "--format", "csv");
        Assert.True(s.ExitCode == 0, s.Err);
        string[] lines = s.Out.Trim().Split('\n');
        Assert.Equal(31, lines.Length);
        Assert.StartsWith($"0,{Path.Combine(root, "a", "00.png")},", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"29,{Path.Combine(root, "b", "14.bmp")},", lines[30], StringComparison.Ordinal);
        var table = CliRunner.Run("score", "--model-file", model, "--input", "folder:" + root);
        Assert.Contains("  b/14.bmp  ", table.Out, StringComparison.Ordinal);
        var none = CliRunner.Run("train", "--model", "pca", "--latent", "2", "--dataset", "folder:" + root, "--channels", "1", "--out", _dir.File("x.safetensors"));
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("has the classes a, b: choose one with --class (or --class all).", none.Err, StringComparison.Ordinal);
        var mode = CliRunner.Run("train", "--model", "pca", "--dataset", "folder:" + root, "--class", "a", "--resize-mode", "crop", "--out", _dir.File("y.safetensors"));
        Assert.Equal(2, mode.ExitCode);
        Assert.Contains("--resize-mode crop says how to resize to --image-size; give --image-size too", mode.Err, StringComparison.Ordinal);
        var bad = CliRunner.Run("train", "--model", "pca", "--dataset", "folder:" + root, "--class", "a", "--image-size", "8", "--resize-mode", "squash", "--out", _dir.File("z.safetensors"));
        Assert.Contains("--resize-mode squash: unknown mode; use stretch, crop or pad.", bad.Err, StringComparison.Ordinal);
        Assert.Contains("the folder " + _dir.File("nope") + " does not exist", CliRunner.Run("train", "--model", "pca", "--dataset", "folder:" + _dir.File("nope"), "--out", _dir.File("w.safetensors")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ExploreMapsAModelOfAllClassesOnTheFolderClasses()
    {
        string root = Tree();
        string model = _dir.File("all.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "pca", "--latent", "2", "--dataset", "folder:" + root, "--class", "all", "--channels", "1", "--out", model).ExitCode);
        var r = CliRunner.Run("explore", "map", "--model-file", model, "--dataset", "folder:" + root, "--out", _dir.File("map"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(Path.Combine(_dir.File("map"), "report.html")));
        Assert.Contains("30 images in 2 classes; 6 held out as the test split", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHeldOutSplitIsEveryFifthItemOfEachClass()
    {
        var (kept, held) = InterleavedSplit.Of([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1], 0.2);
        Assert.Equal([4, 10, 14], held);                    // class 0: items 4, 9 -> rows 4, 10; class 1: item 4 -> row 14
        Assert.Equal(12, kept.Length);
    }
}

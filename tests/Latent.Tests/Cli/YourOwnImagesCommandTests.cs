// The "your own images" workflow's options and messages (issue 19, items 1, 4 and 7): train and classmodel on folders
// of PNG images, --image-size, colour folders, score --format csv|jsonl --output with numbers equal to --json, and a
// one-line error for each wrong folder (missing, empty, formats not read, mixed sizes, IDX where images are expected and the
// reverse, a PNG file as --input), with did-you-mean for option names and formats.
using System.Text.Json;
using Latent.Data.Png;
using Latent.Models;

namespace Latent.Tests.Cli;

public sealed class YourOwnImagesCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Normals() => Directory.Exists(_dir.File("normal")) ? _dir.File("normal") : UserImageFolders.Write(_dir.File("normal"), TestData.SubsetTrain, 3);

    private string Fives() => Directory.Exists(_dir.File("fives")) ? _dir.File("fives") : UserImageFolders.Write(_dir.File("fives"), TestData.SubsetTest, 5);

    private string Model()
    {
        string path = _dir.File("pca.safetensors");
        if (File.Exists(path)) return path;
        var r = CliRunner.Run("train", "--model", "pca", "--latent", "4", "--dataset", Normals(), "--calibration", "0.5", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        return path;
    }

    [Fact]
    public void ClassModelOnFoldersSplitsTheNormalsAndEvaluatesOnTheAnomalies()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--dataset", Normals(), "--anomalies", Fives(), "--validation", "0.3", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        string text = doc.RootElement.ToString();
        Assert.Contains("\"anomaly\"", text, StringComparison.Ordinal);
        var t = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--dataset", Normals(), "--anomalies", Fives(), "--validation", "0.3");
        Assert.Contains("30 normal images: 21 to train on, 9 held out (--validation 0.3) with 20 anomalies to evaluate on", t.Err, StringComparison.Ordinal);
        Assert.Contains("normal  anomaly", t.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageSizeResizesAMixedFolderAndColourFoldersTrainOnThreeChannels()
    {
        string mixed = _dir.File("mixed");
        Directory.CreateDirectory(mixed);
        var rng = new Random(3);
        float[] Noise(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble())];
        for (int i = 0; i < 6; i++) PngEncoder.Save(Path.Combine(mixed, $"a{i}.png"), PngImage.FromGrayFloats(Noise(28 * 28), 28, 28));
        PngEncoder.Save(Path.Combine(mixed, "b.png"), PngImage.FromGrayFloats(Noise(40 * 30), 40, 30));
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", mixed, "--out", _dir.File("x.safetensors")), 2,
            "--dataset " + mixed + ": b.png is 40x30 but a0.png is 28x28; add --image-size 28x28 (or another size) to resize every image to one size.");
        var ok = CliRunner.Run("train", "--model", "pca", "--latent", "2", "--dataset", mixed, "--image-size", "14", "--out", _dir.File("small.safetensors"));
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.Equal(ImageShape.Gray(14, 14), ModelFile.Load(_dir.File("small.safetensors")).Options.InputShape);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", mixed, "--image-size", "0x7", "--out", _dir.File("y.safetensors")), 2,
            "--image-size 0x7: give one side or width x height in pixels, 1 to 4096");

        string colour = _dir.File("colour");
        Directory.CreateDirectory(colour);
        for (int i = 0; i < 6; i++)
            PngEncoder.Save(Path.Combine(colour, $"c{i}.png"), new PngImage(8, 6, PixelFormat.Rgb8, [.. Enumerable.Range(0, 8 * 6 * 3).Select(_ => (byte)rng.Next(256))]));
        var rgb = CliRunner.Run("train", "--model", "pca", "--latent", "2", "--dataset", colour, "--out", _dir.File("rgb.safetensors"));
        Assert.True(rgb.ExitCode == 0, rgb.Err);
        Assert.Equal(new ImageShape(3, 6, 8), ModelFile.Load(_dir.File("rgb.safetensors")).Options.InputShape);
        var scored = CliRunner.Run("score", "--model-file", _dir.File("rgb.safetensors"), "--input", colour, "--format", "csv");
        Assert.True(scored.ExitCode == 0, scored.Err);
        Assert.Equal(7, scored.Out.Trim().Split('\n').Length);
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", _dir.File("rgb.safetensors"), "--input", TestData.SubsetDir + ":5"), 2,
            "the model takes 3x6x8 colour images; IDX files and datasets are gray: give a folder of images.");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", _dir.File("small.safetensors"), "--input", Fives()), 2,
            "the model takes 14x14 images (add --resize to resize them).");
        var resized = CliRunner.Run("score", "--model-file", _dir.File("small.safetensors"), "--input", Fives(), "--resize", "--format", "jsonl");
        Assert.True(resized.ExitCode == 0, resized.Err);
        Assert.Equal(20, resized.Out.Trim().Split('\n').Length);
    }

    [Fact]
    public void ScoreCsvAndJsonLinesCarryThePathsAndEqualTheJsonNumbers()
    {
        string model = Model();
        var json = CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--alpha", "0.25", "--json");
        Assert.True(json.ExitCode == 0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().ToList();

        string csv = _dir.File("out.csv");
        var r = CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--alpha", "0.25", "--output", csv);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith($"wrote 20 rows (csv) to {csv}; ", r.Out, StringComparison.Ordinal);
        var rows = YourOwnImagesWalkthroughTests.ReadCsv(csv);
        Assert.Equal(samples.Count, rows.Count);
        string[] scores = ["recon", "latent-nll", "ppca"];
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(samples[i].GetProperty("path").GetString(), rows[i]["path"]);
            Assert.True(Path.IsPathFullyQualified(rows[i]["path"]));
            foreach (string s in scores)
            {
                Assert.Equal(samples[i].GetProperty(s).GetDouble(), double.Parse(rows[i][s], System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(samples[i].GetProperty("pValues").GetProperty(s).GetDouble(), double.Parse(rows[i]["p_" + s], System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(samples[i].GetProperty("decisions").GetProperty(s).GetString(), rows[i]["decision_" + s]);
            }
        }

        var lines = CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--alpha", "0.25", "--format", "jsonl");
        Assert.True(lines.ExitCode == 0, lines.Err);
        string[] objects = lines.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(samples.Count, objects.Length);
        for (int i = 0; i < objects.Length; i++)
            Assert.Equal(samples[i].GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal),
                objects[i].Replace(" ", "", StringComparison.Ordinal));
        Assert.DoesNotContain(lines.Out, c => c == '\u001b');
    }

    [Fact]
    public void WrongFoldersAndNamesAreOneLineErrorsSayingWhatWorks()
    {
        string model = Model();
        string Out() => _dir.File($"m{Guid.NewGuid():N}.safetensors");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", _dir.File("nope") + "/", "--out", Out()), 2, "does not exist");

        string empty = _dir.File("empty");
        Directory.CreateDirectory(empty);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", empty, "--out", Out()), 1, $"Image folder '{empty}' holds no images (PNG, JPEG, BMP, GIF, TIFF and WebP); put the images directly in it.");
        Directory.CreateDirectory(Path.Combine(empty, "normal"));
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", empty, "--out", Out()), 1, $"holds no images, only folders (normal); give the folder that holds the images, e.g. {Path.Combine(empty, "normal")}, or the folder of class folders as folder:{empty}.");

        string pgms = _dir.File("pgms");
        Directory.CreateDirectory(pgms);
        File.WriteAllBytes(Path.Combine(pgms, "a.pgm"), [0x50, 0x35]);
        File.WriteAllBytes(Path.Combine(pgms, "b.PPM"), [0x50, 0x36]);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", pgms, "--out", Out()), 1,
            $"Image folder '{pgms}' holds 1 .pgm, 1 .ppm files but no images Latent reads (PNG, JPEG, BMP, GIF, TIFF and WebP): convert them first");
        File.Copy(Directory.GetFiles(Normals())[0], Path.Combine(pgms, "c.png"));
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", pgms), 1, "holds 1 images and also 1 .pgm, 1 .ppm files, which are not read (only PNG, JPEG, BMP, GIF, TIFF and WebP)");

        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", Normals(), "--class", "3", "--out", Out()), 2, "is a folder of images, all of one class; drop --class (a folder of class folders is --dataset folder:");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", Normals()), 2, "is a folder of images: give --anomalies FOLDER");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", Normals(), "--anomalies", Fives(), "--real", "3"), 2, "--real picks classes of a labelled dataset");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--anomalies", Fives()), 2, "--anomalies needs --dataset to be a folder of normal images");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", Normals(), "--anomalies", TestData.SubsetDir), 2, "holds IDX files, not images; --anomalies takes a folder of images");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", Normals(), "--anomalies", Fives(), "--validation", "1"), 2, "--validation 1 is not a fraction strictly between 0 and 1");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", TestData.SubsetDir), 2, "is a folder of IDX files; give one images file");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", Directory.GetFiles(Fives())[0]), 2, "is one image; give the folder that holds it");

        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", Directory.GetFiles(Fives())[0], "--input", Fives()), 2, "is a PNG image, not a Latent checkpoint (a .safetensors file written by `latent train`); images to score go to --input");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--score", "recn"), 2, "model 'pca' has no score 'recn' (did you mean 'recon'?)");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--format", "cvs"), 2, "--format cvs: unknown format (did you mean 'csv'?); use table, csv or jsonl.");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--dataset", Normals(), "--epoch", "3", "--out", Out()), 2, "(did you mean '--epochs'?)");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", Fives(), "--outptu", "x.csv"), 2, "(did you mean '--output'?)");
    }
}

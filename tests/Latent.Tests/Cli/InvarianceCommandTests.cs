// --preprocess, --tta, --metric tangent|sliced-wasserstein|emd and --rerank end to end on the committed subset: the
// invariance travels in the checkpoint and `latent score` applies it (the same scores as the model in memory), and
// every bad value is one clear line with exit code 2.
using System.Text.Json;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Invariance;

namespace Latent.Tests.Cli;

public class InvarianceCommandTests
{
    private static Samples Images(Latent.Data.ImageSet s) => new(s.Pixels, s.Count, ImageShape.Gray(s.Height, s.Width));

    /// <summary>The distance score of the subset's test 5s from `latent score` with the model saved at <paramref name="path"/>.</summary>
    private static double[] CliDistances(string path)
    {
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return [.. doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("distance").GetDouble())];
    }

    /// <summary>`latent train --model knn OPTIONS` on the subset's 3s into <paramref name="dir"/>, and the model read back.</summary>
    private static (NearestNeighbour Model, string Path) TrainKnn(TempDir dir, params string[] options)
    {
        string path = dir.File("knn.safetensors");
        var t = CliRunner.Run(["train", "--model", "knn", .. options, "--dataset", TestData.SubsetDir, "--class", "3", "--out", path]);
        Assert.True(t.ExitCode == 0, t.Err);
        return (Assert.IsType<NearestNeighbour>(ModelFile.Load(path).Model), path);
    }

    [Fact]
    public void ScoreAppliesTheSavedPreprocessingAndTta()
    {
        using var dir = new TempDir();
        string path = dir.File("knn.safetensors");
        var t = CliRunner.Run("train", "--model", "knn", "--metric", "tangent", "--rerank", "5", "--dataset", TestData.SubsetDir, "--class", "3",
            "--preprocess", "deskew,center", "--tta", "shifts", "--out", path);
        Assert.True(t.ExitCode == 0, t.Err);
        var loaded = ModelFile.Load(path);
        var wrapped = Assert.IsType<InvariantModel>(loaded.Model);
        Assert.Equal(Preprocess.Deskew | Preprocess.Centre, wrapped.Invariance.Preprocess);
        Assert.Equal(TestTimeAugmentation.Shifts, wrapped.Invariance.Tta);
        var knn = Assert.IsType<NearestNeighbour>(wrapped.Inner);
        Assert.Equal((DistanceMetric.Tangent, 5), (knn.Metric, knn.Rerank));

        double[] cli = CliDistances(path);

        // the same model in memory: fitted on the deskewed, centred 3s, scoring the 5s as the minimum over shifts
        var train = Images(TestData.SubsetTrain.OfClass(3));
        var fives = Images(TestData.SubsetTest.OfClass(5));
        var inner = new NearestNeighbour(Preprocessing.Apply(train, Preprocess.Deskew | Preprocess.Centre), 1, DistanceMetric.Tangent, 5);
        var expected = new InvariantModel(inner, new ImageInvariance { Preprocess = Preprocess.Deskew | Preprocess.Centre, Tta = TestTimeAugmentation.Shifts }).Score(fives)["distance"];
        Assert.Equal(expected.Length, cli.Length);
        for (int i = 0; i < cli.Length; i++) Assert.Equal(expected[i], cli[i], 1e-5);
        var plain = new NearestNeighbour(train, 1, DistanceMetric.Tangent, 5).Score(fives)["distance"];
        Assert.NotEqual(plain, expected);
    }

    [Fact]
    public void ClassModelTakesTheInvariancesForAnyKind()
    {
        foreach (var args in new[]
        {
            new[] { "--model", "pca", "--latent", "5", "--preprocess", "deskew", "--tta", "shifts+rotations" },
            ["--model", "knn", "--metric", "sliced-wasserstein", "--preprocess", "center"],
            ["--model", "knn", "--metric", "emd", "--rerank", "3"],
            ["--model", "gaussian", "--preprocess", "deskew,center"],
            ["--model", "knn", "--metric", "tangent", "--preprocess", "deskew,center,normalize", "--fuse"],
        })
        {
            var r = CliRunner.Run(["classmodel", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--json", .. args]);
            Assert.True(r.ExitCode == 0, string.Join(" ", args) + ": " + r.Err);
            using var doc = JsonDocument.Parse(r.Out);
            Assert.Contains(doc.RootElement.GetProperty("results").EnumerateArray(), row => row.GetProperty("auroc").GetDouble() > 0.5);
        }
    }

    [Theory]
    [InlineData("--preprocess", "blur", "--preprocess: unknown step 'blur'; use none or a comma list of deskew, center, normalize.")]
    [InlineData("--tta", "flips", "--tta: unknown test-time augmentation 'flips'; use none or shifts or shifts+rotations.")]
    [InlineData("--metric", "manhattan", "--metric: unknown metric 'manhattan'")]
    [InlineData("--rerank", "0", "--rerank 0: the number of candidates must be at least 1.")]
    [InlineData("--ground-threshold", "0", "--ground-threshold 0: the cap must be a positive number of pixels, e.g. 4.")]
    [InlineData("--ground-threshold", "-2", "--ground-threshold -2: the cap must be a positive number of pixels, e.g. 4.")]
    [InlineData("--emd-orientations", "0", "--emd-orientations 0: the orientation bins must be 1 to 16")]
    [InlineData("--emd-orientations", "17", "--emd-orientations 17: the orientation bins must be 1 to 16")]
    [InlineData("--emd-orientations", "4", "--emd-orientations 4: orientation bins apply to --metric emd only, not euclidean.")]
    [InlineData("--orientation-cost", "-1", "--orientation-cost -1: the cost of a 90-degree turn must be a non-negative number of pixels")]
    [InlineData("--orientation-cost", "NaN", "--orientation-cost NaN: the cost of a 90-degree turn must be a non-negative number of pixels")]
    [InlineData("--orientation-cost", "3", "--orientation-cost needs --emd-orientations 2 or more")]
    public void BadValuesAreOneLineUsageErrors(string option, string value, string message)
    {
        var r = CliRunner.Run("classmodel", "--model", "knn", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void TheGroundThresholdIsSavedAndScoredAlike()
    {
        using var dir = new TempDir();
        var (knn, path) = TrainKnn(dir, "--metric", "emd", "--emd-pool", "4", "--ground-threshold", "6", "--rerank", "4");
        Assert.Equal(new TransportSettings(Pool: 4, Threshold: 6), knn.Transport);
        double[] cli = CliDistances(path);
        var train = Images(TestData.SubsetTrain.OfClass(3));
        var fives = Images(TestData.SubsetTest.OfClass(5));
        var capped = new NearestNeighbour(train, 1, DistanceMetric.Emd, 4, new TransportSettings(Pool: 4, Threshold: 6)).Score(fives)["distance"];
        var uncapped = new NearestNeighbour(train, 1, DistanceMetric.Emd, 4, new TransportSettings(Pool: 4)).Score(fives)["distance"];
        for (int i = 0; i < cli.Length; i++)
        {
            Assert.Equal(capped[i], cli[i], 1e-5);
            Assert.True(capped[i] <= uncapped[i] + 1e-9, $"the capped EMD {capped[i]} above the uncapped {uncapped[i]}");
        }
        Assert.Contains(capped.Zip(uncapped), p => p.First < p.Second - 1e-6);
    }

    [Fact]
    public void TheOrientationBinsAreSavedAndScoredAlike()
    {
        using var dir = new TempDir();
        var (knn, path) = TrainKnn(dir, "--metric", "emd", "--emd-pool", "4", "--emd-orientations", "4", "--orientation-cost", "3", "--rerank", "4");
        Assert.Equal(new TransportSettings(Pool: 4, Orientations: 4, OrientationCost: 3), knn.Transport);
        double[] cli = CliDistances(path);
        var train = Images(TestData.SubsetTrain.OfClass(3));
        var fives = Images(TestData.SubsetTest.OfClass(5));
        var oriented = new NearestNeighbour(train, 1, DistanceMetric.Emd, 4, new TransportSettings(Pool: 4, Orientations: 4, OrientationCost: 3)).Score(fives)["distance"];
        var plain = new NearestNeighbour(train, 1, DistanceMetric.Emd, 4, new TransportSettings(Pool: 4)).Score(fives)["distance"];
        Assert.Equal(oriented.Length, cli.Length);
        for (int i = 0; i < cli.Length; i++)
        {
            Assert.Equal(oriented[i], cli[i], 1e-5);
            Assert.True(oriented[i] >= plain[i] - 1e-6, $"the oriented EMD {oriented[i]} below the positional {plain[i]}");
        }
        Assert.Contains(oriented.Zip(plain), p => p.First > p.Second + 1e-6);
    }

    [Fact]
    public void TheIdmSettingsAreSavedAndScoredAlike()
    {
        using var dir = new TempDir();
        var (knn, path) = TrainKnn(dir, "--metric", "idm", "--idm-warp", "2", "--idm-context", "0", "--rerank", "6");
        Assert.Equal((DistanceMetric.Idm, new DeformationSettings(2, 0)), (knn.Metric, knn.Deformation));
        double[] cli = CliDistances(path);
        var train = Images(TestData.SubsetTrain.OfClass(3));
        var fives = Images(TestData.SubsetTest.OfClass(5));
        var saved = new NearestNeighbour(train, 1, DistanceMetric.Idm, 6, deformation: new DeformationSettings(2, 0)).Score(fives)["distance"];
        var defaults = new NearestNeighbour(train, 1, DistanceMetric.Idm, 6).Score(fives)["distance"];
        Assert.Equal(saved.Length, cli.Length);
        for (int i = 0; i < cli.Length; i++) Assert.Equal(saved[i], cli[i], saved[i] * 1e-6 + 1e-9);
        Assert.NotEqual(defaults, saved);
    }

    [Fact]
    public void RerankIsForKnnOnly()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "5", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--rerank", "5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--rerank applies to knn, not to 'pca'", r.Err, StringComparison.Ordinal);
    }

    /// <summary>A knn checkpoint trained with the options given, its stored options edited from one text to another
    /// (an unknown invariance step, an idm warp range out of bounds, too many orientation bins): loading it is a data error, scoring with it exit 1.</summary>
    [Theory]
    [InlineData("--preprocess,deskew", "\"Deskew\"", "8")]
    [InlineData("--metric,idm,--idm-warp,2", "\"Warp\":2", "\"Warp\":99")]
    [InlineData("--metric,emd,--emd-pool,4,--emd-orientations,4", "\"Orientations\":4", "\"Orientations\":40")]
    public void ACheckpointWithBadStoredOptionsIsADataError(string trainOptions, string stored, string edited)
    {
        using var dir = new TempDir();
        string path = dir.File("knn.safetensors");
        Assert.Equal(0, CliRunner.Run(["train", "--model", "knn", .. trainOptions.Split(','), "--dataset", TestData.SubsetDir, "--class", "3", "--out", path]).ExitCode);
        var file = Latent.Nn.Checkpoints.Checkpoint.Read(path);
        var metadata = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        string options = metadata[Latent.Nn.Checkpoints.Checkpoint.OptionsKey];
        Assert.Contains(stored, options, StringComparison.Ordinal);
        metadata[Latent.Nn.Checkpoints.Checkpoint.OptionsKey] = options.Replace(stored, edited, StringComparison.Ordinal);
        Latent.Nn.Checkpoints.Checkpoint.Save(path, file.Tensors.Select(kv => new Latent.Nn.NamedTensor(kv.Key, kv.Value)).ToList(), metadata);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("has invalid model options", e.Message, StringComparison.Ordinal);
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5");
        Assert.Equal(1, r.ExitCode);
    }
}

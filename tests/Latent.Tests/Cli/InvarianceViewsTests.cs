// A model fitted on preprocessed images (--preprocess) shows what it does with the images as it sees them: explain's
// reconstruction and residual map, explore's codes, score's --with-z and the class-model report's reconstructions are
// of the preprocessed image, not of the raw one (before, explain and the report lost the reconstruction altogether,
// explore refused a preprocessed PCA, and --with-z encoded raw images into a space fitted on deskewed ones).
using System.Text.Json;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Explanations;
using Latent.Models.Exploration;
using Latent.Models.Invariance;

namespace Latent.Tests.Cli;

public class InvarianceViewsTests
{
    private static Samples Images(Latent.Data.ImageSet s) => new(s.Pixels, s.Count, ImageShape.Gray(s.Height, s.Width));

    private static (PcaGaussian Pca, InvariantModel Wrapped, Samples Train) DeskewedPca(int k)
    {
        var train = Images(TestData.SubsetTrain.OfClass(3));
        var pca = new PcaGaussian(PcaBasis.Fit(Preprocessing.Apply(train, Preprocess.Deskew), k), k);
        return (pca, new InvariantModel(pca, new ImageInvariance { Preprocess = Preprocess.Deskew }), train);
    }

    [Fact]
    public void TheReconstructorIsTheInnerModelAndTakesTheImagesAsTheModelSeesThem()
    {
        var (pca, wrapped, train) = DeskewedPca(5);
        Assert.Same(pca, InvariantModel.Reconstructor(wrapped));
        Assert.Equal(Preprocessing.Apply(train, Preprocess.Deskew).X, InvariantModel.Seen(wrapped, train).X);
        Assert.Same(train.X, InvariantModel.Seen(pca, train).X);
        var knn = new InvariantModel(new NearestNeighbour(train, 1), new ImageInvariance { Preprocess = Preprocess.Deskew });
        Assert.Null(InvariantModel.Reconstructor(knn));
    }

    [Fact]
    public void ExplainReconstructsAndComparesTheDeskewedImage()
    {
        var (pca, wrapped, train) = DeskewedPca(5);
        var fives = Images(TestData.SubsetTest.OfClass(5)).Slice(0, 3);
        var explainer = new Explainer(wrapped, new ExplainerOptions { Reference = train });
        Assert.True(explainer.CanReconstruct);
        var explained = explainer.Explain(fives);
        var seen = Preprocessing.Apply(fives, Preprocess.Deskew);
        float[] recon = pca.Reconstruct(seen);
        for (int i = 0; i < fives.Count; i++)
        {
            var e = explained[i];
            Assert.Equal(recon.AsSpan(i * seen.Dim, seen.Dim).ToArray(), e.Reconstruction);
            Assert.Equal(ResidualMap.Of(seen.Row(i), e.Reconstruction!, seen.Shape).Values, e.Residual!.Values);
            Assert.NotEqual(ResidualMap.Of(fives.Row(i), e.Reconstruction!, seen.Shape).Values, e.Residual.Values);
            Assert.NotEmpty(e.Neighbours);
            Assert.Equal(wrapped.Score(fives.Slice(i, 1))["ppca"][0], e.Value, 9);
        }
    }

    [Fact]
    public void ALatentSpaceOfAPreprocessedModelEncodesThePreprocessedImage()
    {
        var (pca, _, _) = DeskewedPca(4);
        var fives = Images(TestData.SubsetTest.OfClass(5)).Slice(0, 10);
        var space = LatentSpace.Of(pca);
        Assert.Same(space, space.Preprocessed(Preprocess.None));
        Assert.Equal(space.Encode(Preprocessing.Apply(fives, Preprocess.Deskew).X, 10), space.Preprocessed(Preprocess.Deskew).Encode(fives.X, 10));
        Assert.NotEqual(space.Encode(fives.X, 10), space.Preprocessed(Preprocess.Deskew).Encode(fives.X, 10));
    }

    [Fact]
    public void ScoreWithZExploreAndTheReportUseThePreprocessedImages()
    {
        using var dir = new TempDir();
        string path = dir.File("pca.safetensors");
        CliRunner.TrainOnThrees("pca", path, 2, "--preprocess", "deskew");

        // --with-z: the codes of the deskewed images under the saved basis
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--with-z", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var pca = Assert.IsType<PcaGaussian>(InvariantModel.Unwrap(ModelFile.Load(path).Model));
        var fives = Images(TestData.SubsetTest.OfClass(5));
        float[] z = pca.Encode(Preprocessing.Apply(fives, Preprocess.Deskew));
        var rows = doc.RootElement.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(fives.Count, rows.Length);
        for (int i = 0; i < rows.Length; i += 7)
            for (int j = 0; j < 2; j++) Assert.Equal(z[i * 2 + j], rows[i].GetProperty("z")[j].GetSingle(), 1e-4f);

        // explore map: a preprocessed PCA has a latent space (it was refused as having none)
        var map = CliRunner.Run("explore", "map", "--model-file", path, "--dataset", TestData.SubsetDir, "--out", dir.File("map"));
        Assert.True(map.ExitCode == 0, map.Err);

        // the class-model report shows each model's reconstructions of the deskewed test images
        string report = dir.File("report");
        var c = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--model", "pca", "--latent", "4", "--preprocess", "deskew", "--report", report);
        Assert.True(c.ExitCode == 0, c.Err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("below, each model&#39;s reconstruction of them", html.Replace("'", "&#39;", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

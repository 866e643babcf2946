// Deskewing, centring and test-time augmentation (Latent.Models.Invariance) on synthetic images whose shear and
// centroid are known, and the invariance wrapper's minimum over shifted copies.
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Invariance;

namespace Latent.Tests.Models.Invariance;

public class PreprocessingTests
{
    private const int H = 28, W = 28;

    // An upright elliptical Gaussian blob (tall: sigma 6 rows, 2.5 columns) centred at (r0, c0): cov(r, c) = 0.
    internal static float[] Blob(double r0 = 13.5, double c0 = 13.5, double sr = 6, double sc = 2.5)
    {
        var x = new float[H * W];
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++)
                x[r * W + c] = (float)Math.Exp(-((r - r0) * (r - r0) / (2 * sr * sr) + (c - c0) * (c - c0) / (2 * sc * sc)));
        return x;
    }

    // The image sheared by s about row mr: column c moves to c + s (r - mr), so src = (r, c - s (r - mr)).
    private static float[] Sheared(float[] x, double s, double mr)
    {
        var y = new float[x.Length];
        ImageWarp.Warp(x, H, W, 1, 0, -s, 1, 0, s * mr, y);
        return y;
    }

    private static double RelativeError(float[] a, float[] b) =>
        Math.Sqrt(a.Zip(b, (u, v) => (double)(u - v) * (u - v)).Sum() / a.Sum(u => (double)u * u));

    [Theory]
    [InlineData(0.3)]
    [InlineData(-0.45)]
    [InlineData(0.1)]
    public void DeskewRecoversASyntheticShearAndTheImage(double s)
    {
        var upright = Blob();
        Assert.Equal(0, Preprocessing.Shear(upright, H, W), 1e-6);
        var sheared = Sheared(upright, s, 13.5);
        Assert.Equal(s, Preprocessing.Shear(sheared, H, W), 0.01);   // the measured shear is the one applied
        var back = Preprocessing.Apply(new Samples(sheared, 1, ImageShape.Gray(H, W)), Preprocess.Deskew).X;
        Assert.Equal(0, Preprocessing.Shear(back, H, W), 0.01);
        double before = RelativeError(sheared, upright), after = RelativeError(back, upright);
        Assert.True(after < 0.05 && after < before / 3, $"deskewed image differs from the original by {after:P1} (sheared: {before:P1})");
    }

    [Fact]
    public void CentreMovesTheCentroidToTheMiddleAndDeskewKeepsIt()
    {
        var off = Blob(9, 18, 3, 2);   // compact, so no mass leaves the frame
        var centred = Preprocessing.Apply(new Samples(off, 1, ImageShape.Gray(H, W)), Preprocess.Centre).X;
        var (_, mr, mc, _, _, _) = ImageWarp.Moments(centred, H, W);
        Assert.Equal(13.5, mr, 0.05);
        Assert.Equal(13.5, mc, 0.05);
        var deskewed = Preprocessing.Apply(new Samples(Sheared(off, 0.3, 9), 1, ImageShape.Gray(H, W)), Preprocess.Deskew).X;
        var (_, dr, dc, _, _, _) = ImageWarp.Moments(deskewed, H, W);
        Assert.Equal(9, dr, 0.05);
        Assert.Equal(18, dc, 0.05);
        var both = Preprocessing.Apply(new Samples(Sheared(off, 0.3, 9), 1, ImageShape.Gray(H, W)), Preprocess.Deskew | Preprocess.Centre).X;
        var target = Blob(13.5, 13.5, 3, 2);
        Assert.True(RelativeError(both, target) < 0.05, $"deskewed and centred image differs from the upright centred one by {RelativeError(both, target):P1}");
    }

    [Fact]
    public void NormaliseGivesUnitNormsAndKeepsDirections()
    {
        var a = Blob();
        var x = new Samples([.. a, .. a.Select(v => 3 * v), .. new float[H * W]], 3, ImageShape.Gray(H, W));
        var y = Preprocessing.Apply(x, Preprocess.Normalise);
        Assert.NotSame(x.X, y.X);
        for (int i = 0; i < 2; i++) Assert.Equal(1.0, Math.Sqrt(y.Row(i).ToArray().Sum(v => (double)v * v)), 1e-5);
        Assert.True(RelativeError(y.Row(1).ToArray(), y.Row(0).ToArray()) < 1e-6);   // scale is gone
        Assert.All(y.Row(2).ToArray(), v => Assert.Equal(0f, v));   // an empty image stays empty
        var both = Preprocessing.Apply(x, Preprocess.Centre | Preprocess.Normalise);
        Assert.Equal(1.0, Math.Sqrt(both.Row(1).ToArray().Sum(v => (double)v * v)), 1e-5);
    }

    [Fact]
    public void NoPreprocessingIsTheSameSamples()
    {
        var x = new Samples(Blob(), 1, ImageShape.Gray(H, W));
        Assert.Same(x.X, Preprocessing.Apply(x, Preprocess.None).X);
    }

    [Fact]
    public void WarpMatchesBilinearInterpolationByHand()
    {
        var x = new float[] { 0, 1, 2, 3, 4, 5 };   // (2, 3)
        var y = new float[6];
        ImageWarp.Warp(x, 2, 3, 1, 0, 0, 1, 0.5, 0.25, y);   // src = (r + 0.5, c + 0.25)
        Assert.Equal(0.5 * 0.75 * 0 + 0.5 * 0.25 * 1 + 0.5 * 0.75 * 3 + 0.5 * 0.25 * 4, y[0], 1e-6);
        Assert.Equal(0.5 * 0.75 * 5, y[5], 1e-6);   // (1.5, 2.25): only pixel (1, 2) is inside
        Assert.Equal(0f, ImageWarp.Sample(x, 2, 3, -1, 0));
    }

    [Fact]
    public void TestTimeMapsAreTheIdentityShiftsAndRotationsAboutTheCentre()
    {
        Assert.Single(TestTimeTransforms.Maps(TestTimeAugmentation.None, H, W));
        Assert.Equal(9, TestTimeTransforms.Maps(TestTimeAugmentation.Shifts, H, W).Count);
        var maps = TestTimeTransforms.Maps(TestTimeAugmentation.ShiftsRotations, H, W);
        Assert.Equal(11, maps.Count);
        Assert.Equal((1.0, 0.0, 0.0, 1.0, 0.0, 0.0), maps[0]);
        foreach (var m in maps.Skip(9))
        {
            Assert.Equal(13.5, m.A00 * 13.5 + m.A01 * 13.5 + m.B0, 1e-9);   // the centre stays
            Assert.Equal(13.5, m.A10 * 13.5 + m.A11 * 13.5 + m.B1, 1e-9);
            Assert.Equal(Math.Cos(Math.PI / 18), m.A00, 1e-9);
        }
    }

    [Fact]
    public void ShiftTtaScoresAOnePixelShiftOfATrainingImageAsZero()
    {
        var shape = ImageShape.Gray(H, W);
        var train = new Samples([.. Blob(12, 12, 2.5, 2.5), .. Blob(15, 14, 4, 4)], 2, shape);
        var knn = new NearestNeighbour(train);
        var shifted = new Samples(Blob(13, 11, 2.5, 2.5), 1, shape);   // the first, one row down and one column left
        double plain = knn.Score(shifted)["distance"][0];
        double tta = new InvariantModel(knn, new ImageInvariance { Tta = TestTimeAugmentation.Shifts }).Score(shifted)["distance"][0];
        Assert.True(plain > 0.5, $"plain distance {plain}");
        Assert.True(tta < 0.01 * plain, $"tta distance {tta}, plain {plain}");   // zero but for the Gaussian tails cut at the frame
        double rot = new InvariantModel(knn, new ImageInvariance { Tta = TestTimeAugmentation.ShiftsRotations }).Score(shifted)["distance"][0];
        Assert.True(rot <= tta);
    }

    [Fact]
    public void AnUnknownInvarianceIsAClearError()
    {
        var knn = new NearestNeighbour(new Samples(Blob(), 1, ImageShape.Gray(H, W)));
        var e = Assert.Throws<ArgumentException>(() => new InvariantModel(knn, new ImageInvariance { Preprocess = (Preprocess)8 }));
        Assert.Contains("deskew, center, normalize", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new InvariantModel(knn, new ImageInvariance { Tta = (TestTimeAugmentation)7 }));
    }
}

// The image distortion model (DeformationDistance): equal to a brute-force evaluation of its definition (every pixel,
// shift and context offset, in double) on random images of several shapes and settings; zero for an image against
// itself and against a copy shifted by at most the warp range; with warp 0 and context 0 the squared distance of the
// Sobel gradient images; the Sobel gradients of a ramp; and `--metric idm` on the command line and its bad values (saved and
// scored alike: InvarianceCommandTests).
using System.Text.Json;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Tests.Cli;

namespace Latent.Tests.Models.Classical;

public class DeformationDistanceTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble())];
    }

    /// <summary>Sobel gradients of channel ch at (y, x), zero outside the image.</summary>
    private static (double Gx, double Gy) Sobel(float[] img, ImageShape s, int ch, int y, int x)
    {
        double At(int yy, int xx) => yy >= 0 && yy < s.Height && xx >= 0 && xx < s.Width ? img[(ch * s.Height + yy) * s.Width + xx] : 0;
        double gx = At(y - 1, x + 1) + 2 * At(y, x + 1) + At(y + 1, x + 1) - At(y - 1, x - 1) - 2 * At(y, x - 1) - At(y + 1, x - 1);
        double gy = At(y + 1, x - 1) + 2 * At(y + 1, x) + At(y + 1, x + 1) - At(y - 1, x - 1) - 2 * At(y - 1, x) - At(y - 1, x + 1);
        return (gx, gy);
    }

    /// <summary>The definition, pixel by pixel: sum_p min_d sum_o sum_g (g_a(p + o) - g_b(p + d + o))^2, zero gradient outside.</summary>
    private static double Naive(float[] a, float[] b, ImageShape s, int warp, int context)
    {
        (double, double) G(float[] img, int ch, int y, int x) =>
            y >= 0 && y < s.Height && x >= 0 && x < s.Width ? Sobel(img, s, ch, y, x) : (0, 0);
        double total = 0;
        for (int y = 0; y < s.Height; y++)
            for (int x = 0; x < s.Width; x++)
            {
                double best = double.PositiveInfinity;
                for (int dy = -warp; dy <= warp; dy++)
                    for (int dx = -warp; dx <= warp; dx++)
                    {
                        double sum = 0;
                        for (int oy = -context; oy <= context; oy++)
                            for (int ox = -context; ox <= context; ox++)
                                for (int ch = 0; ch < s.Channels; ch++)
                                {
                                    var (ax, ay) = G(a, ch, y + oy, x + ox);
                                    var (bx, by) = G(b, ch, y + dy + oy, x + dx + ox);
                                    sum += (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
                                }
                        best = Math.Min(best, sum);
                    }
                total += best;
            }
        return total;
    }

    private static double Idm(float[] a, float[] b, ImageShape s, DeformationSettings d)
    {
        var ga = new float[DeformationDistance.GradientLength(s, d)];
        var gb = new float[ga.Length];
        DeformationDistance.Gradients(a, s, d, ga);
        DeformationDistance.Gradients(b, s, d, gb);
        return DeformationDistance.Distance(ga, gb, s, d, new float[DeformationDistance.ScratchLength(s, d)]);
    }

    [Theory]
    [InlineData(1, 6, 6, 1, 1)]
    [InlineData(1, 7, 5, 2, 1)]
    [InlineData(1, 5, 8, 1, 2)]
    [InlineData(1, 6, 7, 0, 1)]
    [InlineData(1, 6, 6, 1, 0)]
    [InlineData(3, 5, 6, 1, 1)]
    [InlineData(2, 4, 4, 3, 2)]
    public void EqualsTheDefinitionPixelByPixel(int channels, int h, int w, int warp, int context)
    {
        var s = new ImageShape(channels, h, w);
        var d = new DeformationSettings(warp, context);
        for (int seed = 0; seed < 3; seed++)
        {
            float[] a = Random(s.Dim, 2 * seed), b = Random(s.Dim, 2 * seed + 1);
            double want = Naive(a, b, s, warp, context);
            Assert.Equal(want, Idm(a, b, s, d), want * 1e-5 + 1e-9);
        }
    }

    [Fact]
    public void ZeroForItselfAndForAShiftWithinTheWarpRange()
    {
        var s = ImageShape.Gray(12, 12);
        var a = new float[s.Dim];
        var rng = new Random(5);
        for (int y = 4; y < 8; y++) for (int x = 3; x < 8; x++) a[y * 12 + x] = (float)rng.NextDouble();   // ink away from the border
        var shifted = new float[s.Dim];
        for (int y = 0; y < 12; y++) for (int x = 1; x < 12; x++) shifted[y * 12 + x] = a[y * 12 + x - 1];   // one pixel right
        var d = new DeformationSettings(1, 1);
        Assert.Equal(0, Idm(a, a, s, d));
        Assert.Equal(0, Idm(a, shifted, s, d), 1e-9);
        double without = Idm(a, shifted, s, new DeformationSettings(0, 1));
        Assert.True(without > 0.1, $"without a warp the shift costs {without}");
    }

    [Fact]
    public void WithoutWarpOrContextItIsTheSquaredDistanceOfTheGradients()
    {
        var s = ImageShape.Gray(9, 7);
        float[] a = Random(s.Dim, 11), b = Random(s.Dim, 12);
        double want = 0;
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 7; x++)
            {
                var (ax, ay) = Sobel(a, s, 0, y, x);
                var (bx, by) = Sobel(b, s, 0, y, x);
                want += (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
            }
        Assert.Equal(want, Idm(a, b, s, new DeformationSettings(0, 0)), want * 1e-6);
    }

    [Fact]
    public void SobelOfARampIsConstantInside()
    {
        var s = ImageShape.Gray(6, 8);
        var ramp = new float[s.Dim];
        for (int y = 0; y < 6; y++) for (int x = 0; x < 8; x++) ramp[y * 8 + x] = 0.5f * x + 0.25f * y;
        var d = new DeformationSettings(1, 1);
        var g = new float[DeformationDistance.GradientLength(s, d)];
        DeformationDistance.Gradients(ramp, s, d, g);
        int wp = 8 + 2 * d.Pad, plane = (6 + 2 * d.Pad) * wp;
        for (int y = 1; y < 5; y++)
            for (int x = 1; x < 7; x++)
            {
                Assert.Equal(8 * 0.5, g[(y + d.Pad) * wp + x + d.Pad], 5);          // (1 + 2 + 1) x two steps along x
                Assert.Equal(8 * 0.25, g[plane + (y + d.Pad) * wp + x + d.Pad], 5);
            }
        Assert.Equal(0, g[0]);   // the padding stays zero
    }

    [Fact]
    public void AnIdmKnnSeparatesThreesFromFives()
    {
        var r = CliRunner.Run("classmodel", "--model", "knn", "--metric", "idm", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.True(doc.RootElement.GetProperty("results")[0].GetProperty("auroc").GetDouble() > 0.7);
    }

    [Theory]
    [InlineData("--idm-warp", "5", "--idm-warp 5: the warp range must be 0 to 4 pixels")]
    [InlineData("--idm-warp", "-1", "--idm-warp -1: the warp range must be 0 to 4 pixels")]
    [InlineData("--idm-context", "4", "--idm-context 4: the context half-width must be 0 to 3 pixels")]
    public void BadValuesAreOneLineUsageErrors(string option, string value, string message)
    {
        var r = CliRunner.Run("classmodel", "--model", "knn", "--metric", "idm", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        var pca = CliRunner.Run("classmodel", "--model", "pca", "--latent", "5", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", option, "1");
        Assert.Equal(2, pca.ExitCode);
        Assert.Contains($"{option} applies to knn, not to 'pca'", pca.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangeSettingsAreRefusedByTheModel()
    {
        var train = new Samples(Random(4 * 36, 1), 4, ImageShape.Gray(6, 6));
        Assert.Throws<ArgumentException>(() => new NearestNeighbour(train, 1, DistanceMetric.Idm, deformation: new DeformationSettings(9, 1)));
        Assert.Throws<ArgumentException>(() => new KnnOptions { Metric = DistanceMetric.Idm, Context = 7 }.Validate());
    }
}

// ImageResize.Box against a slow oracle: shrinking by whole factors is the block mean (PyTorch's
// F.interpolate(mode="area")); any resize keeps a constant image constant and the image's mean when the factor
// divides; partly covered pixels count by their covered fraction; bad sizes are errors.
using Latent.Data.Images;

namespace Latent.Tests.Data.Images;

public class ImageResizeTests
{
    private static float[] Ramp(int n) => [.. Enumerable.Range(0, n).Select(i => (float)i)];

    [Fact]
    public void ShrinkingByWholeFactorsAveragesBlocks()
    {
        float[] src = Ramp(2 * 6 * 4);                       // (C=2, H=6, W=4)
        var dst = new float[2 * 3 * 2];
        ImageResize.Box(src, 2, 6, 4, dst, 3, 2);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 2; x++)
                {
                    double mean = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) mean += src[c * 24 + (2 * y + dy) * 4 + 2 * x + dx] / 4.0;
                    Assert.Equal(mean, dst[c * 6 + y * 2 + x], 4);
                }
    }

    [Fact]
    public void PartlyCoveredPixelsCountByTheirFraction()
    {
        var dst = new float[2];
        ImageResize.Box([0f, 1f, 2f, 3f, 4f], 1, 1, 5, dst, 1, 2);   // [0, 2.5) and [2.5, 5)
        Assert.Equal((0 + 1 + 0.5 * 2) / 2.5, dst[0], 5);
        Assert.Equal((0.5 * 2 + 3 + 4) / 2.5, dst[1], 5);
        var up = new float[4];
        ImageResize.Box([0f, 1f], 1, 1, 2, up, 1, 4);                  // enlarging: each source pixel covers two
        Assert.Equal([0f, 0f, 1f, 1f], up);
        var odd = new float[3];
        ImageResize.Box([0f, 3f], 1, 1, 2, odd, 1, 3);                 // [0, 2/3), [2/3, 4/3), [4/3, 2)
        Assert.Equal([0f, 1.5f, 3f], odd.Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void AConstantImageStaysConstant()
    {
        var src = Enumerable.Repeat(0.25f, 3 * 30 * 40).ToArray();
        var dst = new float[3 * 28 * 28];
        ImageResize.Box(src, 3, 30, 40, dst, 28, 28);
        Assert.All(dst, v => Assert.Equal(0.25f, v, 5));
    }

    [Fact]
    public void WrongSizesAreErrors()
    {
        Assert.Throws<ArgumentException>(() => ImageResize.Box(new float[5], 1, 2, 3, new float[4], 2, 2));
        Assert.Throws<ArgumentException>(() => ImageResize.Box(new float[6], 1, 2, 3, new float[5], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResize.Box(new float[6], 1, 2, 3, Array.Empty<float>(), 0, 2));
    }
}

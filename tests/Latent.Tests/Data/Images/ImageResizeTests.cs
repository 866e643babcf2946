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
    public void EightBitInputGivesEightBitOutput()
    {
        // 8-bit levels in: each output is the area mean rounded to the nearest level, as image resizers do on uint8
        var rng = new Random(3);
        float[] src = [.. Enumerable.Range(0, 2 * 30 * 40).Select(_ => rng.Next(256) / 255f)];
        Assert.True(ImageResize.IsEightBit(src));
        var dst = new float[2 * 28 * 28];
        ImageResize.Box(src, 2, 30, 40, dst, 28, 28);
        Assert.True(ImageResize.IsEightBit(dst));
        Assert.All(dst, v => Assert.Equal(v, MathF.Round(v * 255f) / 255f));
        float[] half = [.. src.Select(v => v * 0.5f + 0.25f / 255f)];            // the same image off the grid: exact means
        Assert.False(ImageResize.IsEightBit(half));
        var exact = new float[dst.Length];
        ImageResize.Box(half, 2, 30, 40, exact, 28, 28);
        for (int i = 0; i < dst.Length; i++)
        {
            float mean = (exact[i] - 0.25f / 255f) * 2f;                           // the unrounded area mean of src
            Assert.True(MathF.Abs(dst[i] - mean) <= 0.5f / 255f + 1e-6f, $"value {i}: {dst[i]} is not the level nearest {mean}");
        }
        var block = new float[2 * 15 * 20];                                        // whole factors: rounded block means
        ImageResize.Box(src, 2, 30, 40, block, 15, 20);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 15; y++)
                for (int x = 0; x < 20; x++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) sum += (int)MathF.Round(255f * src[c * 1200 + (2 * y + dy) * 40 + 2 * x + dx]);
                    float level = 255f * block[c * 300 + y * 20 + x];
                    Assert.True(MathF.Abs(level - MathF.Round(level)) < 1e-3f && Math.Abs(MathF.Round(level) - sum / 4.0) <= 0.5, $"{level} for the block sum {sum}");
                }
    }

    [Fact]
    public void WrongSizesAreErrors()
    {
        Assert.Throws<ArgumentException>(() => ImageResize.Box(new float[5], 1, 2, 3, new float[4], 2, 2));
        Assert.Throws<ArgumentException>(() => ImageResize.Box(new float[6], 1, 2, 3, new float[5], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResize.Box(new float[6], 1, 2, 3, Array.Empty<float>(), 0, 2));
    }
}

// The phase-plane im2col / col2im (ConvColumns.Phases.cs) against the direct row-by-row path on every geometry that
// takes it: strides 1-3, kernels 1-5, paddings 0-2, rows of 1 to 29 floats (vector copies with and without a tail,
// the last row's exact tail), several images side by side (ld > OH OW, the last image's rows ending at the span's end).
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class ConvColumnsTests
{
    public static IEnumerable<object[]> Geometries => new object[][]
    {
        // C, OH, OW, K, S, P, images side by side
        new object[] { 3, 7, 7, 4, 2, 1, 5 },       // the DCGAN's conv 64 -> 128 and convT 128 -> 64
        new object[] { 2, 14, 14, 4, 2, 1, 2 },     // its conv 1 -> 64 and convT 64 -> 1
        new object[] { 2, 7, 7, 3, 2, 1, 3 },       // the ConvVAE's stride-2 layers
        new object[] { 2, 14, 14, 3, 1, 1, 1 },
        new object[] { 1, 28, 28, 3, 1, 1, 2 },
        new object[] { 2, 5, 9, 3, 1, 1, 2 },
        new object[] { 3, 4, 8, 3, 2, 1, 1 },
        new object[] { 2, 3, 16, 4, 2, 1, 3 },
        new object[] { 2, 6, 17, 4, 2, 1, 2 },
        new object[] { 2, 3, 3, 3, 3, 1, 2 },
        new object[] { 2, 3, 2, 5, 3, 2, 2 },
        new object[] { 2, 5, 5, 5, 1, 2, 1 },
        new object[] { 1, 4, 3, 1, 1, 0, 4 },
        new object[] { 2, 2, 1, 2, 2, 0, 3 },
        new object[] { 1, 1, 1, 3, 1, 1, 2 },
        new object[] { 2, 9, 29, 5, 2, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void PhasePlanesMatchTheDirectPath(int c, int oh, int ow, int k, int s, int p, int images)
    {
        var g = ConvShape.Conv(1, c, 1, oh * s, ow * s, k, k, s, p);
        Assert.Equal((oh, ow), (g.OutHeight, g.OutWidth));
        int rows = c * k * k, ohw = oh * ow, ld = images * ohw, len = c * oh * s * ow * s;
        float[] fast = new float[rows * ld], direct = new float[rows * ld];
        for (int j = 0; j < images; j++)
        {
            float[] image = ConvKernelTests.Random(len, 10 + j);
            ConvColumns.Im2Col(image, g, fast.AsSpan(j * ohw), ld);
            ConvColumns.Im2ColDirect(image, g, direct.AsSpan(j * ohw), ld);
        }
        Assert.Equal(direct, fast);

        float[] col = ConvKernelTests.Random(rows * ld, 3);
        for (int j = 0; j < images; j++)
        {
            float[] a = ConvKernelTests.Random(len, 20 + j), b = (float[])a.Clone();
            ConvColumns.Col2ImAdd(col.AsSpan(j * ohw), g, a, ld);
            ConvColumns.Col2ImAddDirect(col.AsSpan(j * ohw), g, b, ld);
            for (int i = 0; i < len; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f * (1 + Math.Abs(b[i])), $"image {j} pixel {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void ShortSpansAreNamedErrors()
    {
        var g = ConvShape.Conv(1, 2, 1, 14, 14, 4, 4, 2, 1);
        var ex = Assert.Throws<ArgumentException>(() => ConvColumns.Im2Col(new float[2 * 196], g, new float[32 * 49 - 1], 49));
        Assert.Contains("columns 1568", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvColumns.Col2ImAdd(new float[32 * 49], g, new float[2 * 196 - 1], 49));
        Assert.Contains("image needs 392", ex.Message, StringComparison.Ordinal);
    }
}

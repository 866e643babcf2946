// OrientedMass: a bar's mass lands in the bin of its orientation (horizontal, vertical, both diagonals), the mass sums
// to 1 at every pooling, one bin is the plain pooled mass, and an image without structure spreads its mass evenly.
using Latent.Models.Classical;

namespace Latent.Tests.Models.Classical;

public class OrientedMassTests
{
    // a unit-mass 15 x 15 plane with a 2-pixel-thick bar through the centre at the angle (degrees, 0 = along the rows)
    private static float[] Bar(double degrees)
    {
        const int n = 15;
        var m = new float[n * n];
        double a = degrees * Math.PI / 180, ux = Math.Cos(a), uy = Math.Sin(a);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                double x = c - 7, y = r - 7, along = x * ux + y * uy, across = -x * uy + y * ux;
                if (Math.Abs(along) <= 6 && Math.Abs(across) <= 1) m[r * n + c] = 1;
            }
        float s = m.Sum();
        for (int i = 0; i < m.Length; i++) m[i] /= s;
        return m;
    }

    private static double[] BinMass(float[] plane, int bins)
    {
        var o = new float[15 * 15 * bins];
        OrientedMass.Compute(plane, 15, 15, bins, 1, o);
        var per = new double[bins];
        for (int i = 0; i < o.Length; i++) per[i % bins] += o[i];
        return per;
    }

    [Theory]
    [InlineData(0, 2)]     // a bar along the rows: its gradient points down the columns, theta = 90 degrees, bin 2 of 4
    [InlineData(90, 0)]    // along the columns: gradient along the rows, theta = 0
    [InlineData(45, 3)]    // down-right diagonal (rows grow with columns): gradient at -45 = 135 degrees
    [InlineData(-45, 1)]
    public void ABarsMassLandsInTheBinOfItsOrientation(double degrees, int bin)
    {
        var per = BinMass(Bar(degrees), 4);
        Assert.Equal(1.0, per.Sum(), 1e-5);
        Assert.True(per[bin] > 0.75, $"bin {bin} holds {per[bin]:F3} of a {degrees}-degree bar: {string.Join(", ", per.Select(v => v.ToString("F3")))}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void OneBinIsThePooledMassAndEveryPoolingKeepsTheMass(int pool)
    {
        var plane = Bar(30);
        int ho = (15 + pool - 1) / pool;
        var one = new float[ho * ho];
        var down = new float[ho * ho];
        OrientedMass.Compute(plane, 15, 15, 1, pool, one);
        EarthMovers.Downsample(plane, 15, 15, pool, down);
        Assert.Equal(down, one);
        var six = new float[ho * ho * 6];
        OrientedMass.Compute(plane, 15, 15, 6, pool, six);
        Assert.Equal(1.0, six.Sum(), 1e-5);
        for (int cell = 0; cell < ho * ho; cell++) Assert.Equal(down[cell], six.AsSpan(cell * 6, 6).ToArray().Sum(), 1e-6);
    }

    [Fact]
    public void APixelWithoutStructureSpreadsItsMassEvenly()
    {
        // 7 x 7 constant: Sobel sees the zero border only near the edges, so the centre's 3 x 3 window has no
        // gradient (J = 0) and its mass goes to every bin alike; an edge pixel's does not
        var flat = Enumerable.Repeat(1f / 49, 49).ToArray();
        var o = new float[49 * 4];
        OrientedMass.Compute(flat, 7, 7, 4, 1, o);
        Assert.Equal(1.0, o.Sum(), 1e-6);
        for (int b = 0; b < 4; b++) Assert.Equal(1f / 49 / 4, o[(3 * 7 + 3) * 4 + b], 1e-7);
        Assert.NotEqual(o[(3 * 7 + 0) * 4 + 0], o[(3 * 7 + 0) * 4 + 2]);
        var none = new float[9 * 4];
        OrientedMass.Compute(new float[9], 3, 3, 4, 1, none);
        Assert.All(none, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrientedMass.Compute(new float[9], 3, 3, 0, 1, new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrientedMass.Compute(new float[9], 3, 3, 4, 0, new float[36]));
        Assert.Throws<ArgumentException>(() => OrientedMass.Compute(new float[8], 3, 3, 4, 1, new float[36]));
        Assert.Throws<ArgumentException>(() => OrientedMass.Compute(new float[9], 3, 3, 4, 1, new float[35]));
        Assert.Equal(2, OrientedMass.BinDistance(0, 2, 4));
        Assert.Equal(1, OrientedMass.BinDistance(0, 3, 4));
        Assert.Equal(0, OrientedMass.BinDistance(5, 5, 8));
    }
}

// The small transformations test-time augmentation scores an image under (Invariance.cs): the identity, the 8
// one-pixel shifts (dr, dc in -1, 0, 1), and with rotations also +-10 degrees about the image centre, each as the
// affine map src = A p + b of ImageWarp.Warp (bilinear, zero outside).
namespace Latent.Models.Invariance;

/// <summary>The small transformations test-time augmentation scores an image under (Invariance.cs).</summary>
public static class TestTimeTransforms
{
    public const double RotationDegrees = 10;

    /// <summary>The maps (A00, A01, A10, A11, B0, B1) of <paramref name="tta"/> for (H, W) images, the identity first.</summary>
    public static IReadOnlyList<(double A00, double A01, double A10, double A11, double B0, double B1)> Maps(TestTimeAugmentation tta, int h, int w)
    {
        var maps = new List<(double, double, double, double, double, double)> { (1, 0, 0, 1, 0, 0) };
        if (tta == TestTimeAugmentation.None) return maps;
        for (int dr = -1; dr <= 1; dr++)
            for (int dc = -1; dc <= 1; dc++)
                if (dr != 0 || dc != 0) maps.Add((1, 0, 0, 1, dr, dc));
        if (tta == TestTimeAugmentation.ShiftsRotations)
        {
            double or = (h - 1) / 2.0, oc = (w - 1) / 2.0;
            foreach (double deg in new[] { -RotationDegrees, RotationDegrees })
            {
                double t = deg * Math.PI / 180, cos = Math.Cos(t), sin = Math.Sin(t);
                // src = R (p - o) + o,  R = [[cos, -sin], [sin, cos]]
                maps.Add((cos, -sin, sin, cos, or - (cos * or - sin * oc), oc - (sin * or + cos * oc)));
            }
        }
        return maps;
    }

    /// <summary>Every image of <paramref name="x"/> warped by one map.</summary>
    public static Samples Apply(Samples x, (double A00, double A01, double A10, double A11, double B0, double B1) m)
    {
        var shape = x.Shape;
        int h = shape.Height, w = shape.Width, hw = h * w, planes = x.Count * shape.Channels;
        var y = new float[x.X.Length];   // (N, C, H, W)
        for (int k = 0; k < planes; k++)
            ImageWarp.Warp(x.X.AsSpan(k * hw, hw), h, w, m.A00, m.A01, m.A10, m.A11, m.B0, m.B1, y.AsSpan(k * hw, hw));
        return new Samples(y, x.Count, shape);
    }
}

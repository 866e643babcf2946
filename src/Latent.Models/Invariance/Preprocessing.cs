// Deskewing and centring of images (Invariance.cs says what they are for). For each image, from the moments of its
// channel mean (ImageWarp.Moments): centroid mu = (mr, mc), shear alpha = cov(r, c) / var(r), and the output pixel p
// is read at
//   deskew:         src = S (p - mu) + mu          S = [[1, 0], [alpha, 1]]  (row r: column shifted by alpha (r - mr))
//   centre:         src = (p - o) + mu             o = ((H - 1) / 2, (W - 1) / 2), the image centre
//   deskew, centre: src = S (p - o) + mu           (the classic MNIST deskew, e.g. in Simard et al.'s and LeCun et al.'s tables)
// An image sheared by s about its centroid (column c moved to c + s (r - mr)) has cov(r, c) = s var(r) more than the
// upright image, so for an upright original (cov 0) alpha = s and the deskew undoes the shear (tested).
// normalise (last): x / ||x|| (an all-zero image stays zero).
namespace Latent.Models.Invariance;

/// <summary>Deskewing and centring of images (Invariance.cs says what they are for).</summary>
public static class Preprocessing
{
    /// <summary>The samples with <paramref name="p"/> applied to every image (the same samples when p is None).</summary>
    public static Samples Apply(Samples x, Preprocess p)
    {
        if (p == Preprocess.None) return x;
        if ((p & ~Preprocess.Normalise) == Preprocess.None) return Normalised(x, copy: true);
        var shape = x.Shape;
        int ch = shape.Channels, h = shape.Height, w = shape.Width, hw = h * w;
        var y = new float[x.X.Length];   // (N, C, H, W)
        var mean = new float[hw];        // (H, W) channel mean
        for (int i = 0; i < x.Count; i++)
        {
            ReadOnlySpan<float> img = x.Row(i);
            var (a00, a01, a10, a11, b0, b1) = Transform(img, ch, h, w, p, mean);
            for (int k = 0; k < ch; k++)
                ImageWarp.Warp(img.Slice(k * hw, hw), h, w, a00, a01, a10, a11, b0, b1, y.AsSpan(i * x.Dim + k * hw, hw));
        }
        var result = new Samples(y, x.Count, shape);
        return (p & Preprocess.Normalise) != 0 ? Normalised(result, copy: false) : result;
    }

    private static Samples Normalised(Samples x, bool copy)
    {
        var y = copy ? (float[])x.X.Clone() : x.X;
        for (int i = 0; i < x.Count; i++)
        {
            Span<float> row = y.AsSpan(i * x.Dim, x.Dim);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        return new Samples(y, x.Count, x.Shape);
    }

    /// <summary>The affine map (A, b) of one (C, H, W) image: src = A p + b; <paramref name="mean"/> is (H, W) scratch.</summary>
    public static (double A00, double A01, double A10, double A11, double B0, double B1) Transform(ReadOnlySpan<float> img, int ch, int h, int w, Preprocess p, Span<float> mean)
    {
        int hw = h * w;
        mean.Clear();
        for (int k = 0; k < ch; k++)
            for (int j = 0; j < hw; j++) mean[j] += img[k * hw + j] / ch;
        var (mass, mr, mc, vrr, vrc, _) = ImageWarp.Moments(mean, h, w);
        double alpha = (p & Preprocess.Deskew) != 0 && mass > 0 && vrr > 1e-6 ? vrc / vrr : 0;
        bool centre = (p & Preprocess.Centre) != 0;
        double tr = centre ? (h - 1) / 2.0 : mr, tc = centre ? (w - 1) / 2.0 : mc;
        // src = S (p - t) + mu = S p + (mu - S t),  S = [[1, 0], [alpha, 1]]
        return (1, 0, alpha, 1, mr - tr, mc - (alpha * tr + tc));
    }

    /// <summary>The shear alpha = cov(r, c) / var(r) of one (H, W) plane (0 for an empty or flat one).</summary>
    public static double Shear(ReadOnlySpan<float> plane, int h, int w)
    {
        var (mass, _, _, vrr, vrc, _) = ImageWarp.Moments(plane, h, w);
        return mass > 0 && vrr > 1e-6 ? vrc / vrr : 0;
    }
}

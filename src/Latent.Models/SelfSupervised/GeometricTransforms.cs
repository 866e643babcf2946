// The geometric transformations of GEOM (Golan and El-Yaniv 2018, sec. 4): T_t = R^k F^f S_s, a circular shift S_s
// by (dy, dx) in {0, -s, s}^2 (only (0, 0) when s = 0; (0, 0) first, so that t = 0 is the identity), then a horizontal flip F (f in {0, 1}), then k quarter turns
// R (k in {0, 1, 2, 3}, counter-clockwise), indexed t = (k * 2 + f) * S + s. With s = 0 these are the 8 elements of
// the dihedral group of the square (a group action on square images: each is invertible, and the 8 images of a
// generic image are distinct); with s > 0 there are 72, the paper's count (it shifts by 8 pixels on 32 x 32 images).
// The shift is circular so that every transformation stays invertible (the paper pads; a digit's border is blank,
// so wrapping moves only blank pixels for shifts within the margin). Kernels on one (C, H, W) image, H = W.
namespace Latent.Models.SelfSupervised;

/// <summary>The geometric transformations of GEOM (Golan and El-Yaniv 2018): shifts, a flip and quarter turns of square images.</summary>
public static class GeometricTransforms
{
    /// <summary>T, the number of transformations with shift s (8 without shifts, 72 with).</summary>
    public static int Count(int shift) => shift == 0 ? 8 : 72;

    /// <summary>dst (C, H, W) = T_t(src (C, H, W)), H = W.</summary>
    public static void Apply(ReadOnlySpan<float> src, int c, int h, int w, int t, int shift, Span<float> dst)
    {
        var (k, flip, dy, dx) = Parts(t, shift, h, w);
        int hw = h * w;
        for (int ch = 0; ch < c; ch++)
        {
            ReadOnlySpan<float> s = src.Slice(ch * hw, hw);
            Span<float> d = dst.Slice(ch * hw, hw);
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++)
                {
                    // undo the quarter turns, then the flip, then the shift: where output (r, col) comes from
                    int rr = r, cc = col;
                    for (int q = 0; q < k; q++) (rr, cc) = (cc, w - 1 - rr);      // R^-1 of a counter-clockwise turn
                    if (flip) cc = w - 1 - cc;
                    rr = ((rr - dy) % h + h) % h;
                    cc = ((cc - dx) % w + w) % w;
                    d[r * w + col] = s[rr * w + cc];
                }
        }
    }

    /// <summary>dst (C, H, W) = T_t^-1(src): the image that T_t takes to src.</summary>
    public static void Invert(ReadOnlySpan<float> src, int c, int h, int w, int t, int shift, Span<float> dst)
    {
        var (k, flip, dy, dx) = Parts(t, shift, h, w);
        int hw = h * w;
        for (int ch = 0; ch < c; ch++)
        {
            ReadOnlySpan<float> s = src.Slice(ch * hw, hw);
            Span<float> d = dst.Slice(ch * hw, hw);
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++)
                {
                    // input pixel (r, col) of T_t goes to: shift, flip, turn
                    int rr = ((r + dy) % h + h) % h, cc = ((col + dx) % w + w) % w;
                    if (flip) cc = w - 1 - cc;
                    for (int q = 0; q < k; q++) (rr, cc) = (w - 1 - cc, rr);      // a counter-clockwise turn
                    d[r * w + col] = s[rr * w + cc];
                }
        }
    }

    /// <summary>0, -1, +1 for index 0, 1, 2: the identity is transformation 0.</summary>
    private static int Offset(int i) => i == 0 ? 0 : i == 1 ? -1 : 1;

    /// <summary>(quarter turns, flip, dy, dx) of transformation t.</summary>
    private static (int K, bool Flip, int Dy, int Dx) Parts(int t, int shift, int h, int w)
    {
        if (h != w) throw new ArgumentException($"the geometric transformations turn the image by quarter turns; they need square images, got {h} x {w}.");
        if (shift < 0 || shift >= h) throw new ArgumentException($"shift {shift} must be 0 to {h - 1} pixels.");
        int count = Count(shift), shifts = count / 8;
        if (t < 0 || t >= count) throw new ArgumentOutOfRangeException(nameof(t), $"transformation {t} is outside [0, {count}).");
        int s = t % shifts, kf = t / shifts;
        int dy = shifts == 1 ? 0 : Offset(s / 3) * shift, dx = shifts == 1 ? 0 : Offset(s % 3) * shift;
        return (kf / 2, kf % 2 == 1, dy, dx);
    }
}

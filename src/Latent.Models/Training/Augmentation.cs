// Random affine augmentation of the training images (Simard et al. 2003, the standard MNIST augmentation): each image
// of a batch is rotated by theta ~ U(-Rotate, Rotate) degrees, zoomed by s ~ U(1 - Scale, 1 + Scale) and shifted
// by (ty, tx) ~ U(-Shift, Shift)^2 pixels, about the image centre c = ((H - 1) / 2, (W - 1) / 2), then resampled
// bilinearly with zeros outside the image. The output pixel p takes the input at
//   q = R(-theta) (p - c - t) / s + c,
// the inverse of the forward map p = s R(theta) (q - c) + c + t. Draws come from the trainer's per-epoch Rng, so an
// augmented run is as reproducible (and as exactly resumable) as a plain one. Scores never see augmented images.
using System.Globalization;
using System.Text.Json.Serialization;
using Latent.Tensors;

namespace Latent.Models.Training;

/// <summary>Random affine augmentation of the training images (Simard et al. 2003, the standard MNIST augmentation).</summary>
public sealed record Augmentation
{
    /// <summary>Largest translation along each axis, in pixels.</summary>
    public float Shift { get; init; }

    /// <summary>Largest rotation, in degrees either way.</summary>
    public float Rotate { get; init; }

    /// <summary>Largest relative zoom: s in [1 - Scale, 1 + Scale].</summary>
    public float Scale { get; init; }

    /// <summary>No augmentation (the default).</summary>
    public static Augmentation None { get; } = new();

    /// <summary>The "affine" preset: up to 2 px of shift, 10 degrees of rotation and 10 % of zoom.</summary>
    public static Augmentation Affine { get; } = new() { Shift = 2f, Rotate = 10f, Scale = 0.1f };

    [JsonIgnore]
    public bool IsNone => Shift == 0f && Rotate == 0f && Scale == 0f;

    /// <summary>Throws an ArgumentException naming the bad field.</summary>
    public void Validate()
    {
        if (!(Shift >= 0f && Shift <= 8f)) throw new ArgumentException($"augmentation shift {Shift} must be in [0, 8] pixels.");
        if (!(Rotate >= 0f && Rotate <= 180f)) throw new ArgumentException($"augmentation rotation {Rotate} must be in [0, 180] degrees.");
        if (!(Scale >= 0f && Scale < 0.5f)) throw new ArgumentException($"augmentation scale {Scale} must be in [0, 0.5).");
    }

    /// <summary>"none", "affine", or fields such as "shift=2,rotate=10,scale=0.1" (absent fields are 0).</summary>
    public static Augmentation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase)) return None;
        if (t.Equals("affine", StringComparison.OrdinalIgnoreCase)) return Affine;
        var a = None;
        foreach (string part in t.Split(','))
        {
            string[] kv = part.Split('=');
            if (kv.Length != 2 || !float.TryParse(kv[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                throw new ArgumentException($"'{part.Trim()}' is not a field=number pair; write none, affine, or e.g. shift=2,rotate=10,scale=0.1.");
            a = kv[0].Trim().ToLowerInvariant() switch
            {
                "shift" => a with { Shift = v },
                "rotate" => a with { Rotate = v },
                "scale" => a with { Scale = v },
                var k => throw new ArgumentException($"unknown augmentation field '{k}'; the fields are shift (pixels), rotate (degrees) and scale (fraction)."),
            };
        }
        a.Validate();
        return a;
    }

    public override string ToString() => IsNone ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"shift={Shift:G4},rotate={Rotate:G4},scale={Scale:G4}");

    /// <summary>A new (B, C, H, W) batch: each image of <paramref name="x"/> under its own random affine map (the same
    /// map for all its channels).</summary>
    public Tensor Apply(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        if (x.Rank != 4) throw new ArgumentException($"augmentation takes a (B, C, H, W) batch, got ({string.Join(", ", x.Shape.ToArray())}).");
        int b = x.Dim(0), ch = x.Dim(1), h = x.Dim(2), w = x.Dim(3), d = h * w;
        var y = Tensor.Uninitialized(b, ch, h, w);
        ReadOnlySpan<float> src = x.Data;
        Span<float> dst = y.Data;
        for (int i = 0; i < b; i++)
        {
            double theta = (2 * rng.NextDouble() - 1) * Rotate * Math.PI / 180;
            double s = 1 + (2 * rng.NextDouble() - 1) * Scale;
            float ty = (float)((2 * rng.NextDouble() - 1) * Shift), tx = (float)((2 * rng.NextDouble() - 1) * Shift);
            float cos = (float)(Math.Cos(theta) / s), sin = (float)(Math.Sin(theta) / s);
            // R(-theta) / s = [[cos, sin], [-sin, cos]] / s acting on (row, col) offsets.
            for (int c = 0; c < ch; c++)
                WarpBilinear(src.Slice((i * ch + c) * d, d), dst.Slice((i * ch + c) * d, d), h, w, cos, sin, -sin, cos, ty, tx);
        }
        return y;
    }

    /// <summary>
    /// dst[p] = bilinear src at q = A (p - c - t) + c, A = [[a00, a01], [a10, a11]] on (row, col), zero outside.
    /// src, dst: (H, W) row-major.
    /// </summary>
    public static void WarpBilinear(ReadOnlySpan<float> src, Span<float> dst, int h, int w,
        float a00, float a01, float a10, float a11, float ty, float tx)
    {
        float cy = (h - 1) * 0.5f, cx = (w - 1) * 0.5f;
        for (int r = 0; r < h; r++)
        {
            float py = r - cy - ty;
            for (int c = 0; c < w; c++)
            {
                float px = c - cx - tx;
                float qy = a00 * py + a01 * px + cy, qx = a10 * py + a11 * px + cx;
                int y0 = (int)MathF.Floor(qy), x0 = (int)MathF.Floor(qx);
                float fy = qy - y0, fx = qx - x0;
                dst[r * w + c] = (1 - fy) * ((1 - fx) * At(src, h, w, y0, x0) + fx * At(src, h, w, y0, x0 + 1))
                               + fy * ((1 - fx) * At(src, h, w, y0 + 1, x0) + fx * At(src, h, w, y0 + 1, x0 + 1));
            }
        }
    }

    private static float At(ReadOnlySpan<float> src, int h, int w, int y, int x) =>
        (uint)y < (uint)h && (uint)x < (uint)w ? src[y * w + x] : 0f;
}

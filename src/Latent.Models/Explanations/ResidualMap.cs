// The residual heat map of one image: r_p = |x_p - x^_p| per pixel (the mean over channels for colour images), with
// x^ the model's reconstruction (its decoder's mean at the code E(x), or a latent search's code for a generator
// without an encoder). It says where the reconstruction error sits: the peak pixel and the share of the total
// residual sum_p r_p in each ninth of the image (a 3 x 3 grid: "upper left" .. "lower right"). One ninth holding at
// least ConcentratedShare of it (three times the uniform 1/9: digits put about a quarter of any residual in the centre
// ninth, which is not worth saying) is "concentrated" there; otherwise it is "spread".
namespace Latent.Models.Explanations;

/// <summary>The residual heat map of one image.</summary>
public sealed class ResidualMap
{
    /// <summary>A ninth holding at least this share of the residual counts as the place it is concentrated in.</summary>
    public const double ConcentratedShare = 1.0 / 3;

    private static readonly string[] RegionNames =
        ["upper left", "top", "upper right", "left", "centre", "right", "lower left", "bottom", "lower right"];

    private ResidualMap(float[] values, int height, int width)
    {
        Values = values;
        Height = height;
        Width = width;
        int peak = 0;
        double total = 0;
        var shares = new double[9];
        for (int p = 0; p < values.Length; p++)
        {
            if (values[p] > values[peak]) peak = p;
            total += values[p];
            shares[p / width * 3 / height * 3 + p % width * 3 / width] += values[p];
        }
        PeakRow = peak / width;
        PeakColumn = peak % width;
        Total = total;
        if (total > 0) for (int k = 0; k < 9; k++) shares[k] /= total;
        RegionShares = shares;
        int top = 0;
        for (int k = 1; k < 9; k++) if (shares[k] > shares[top]) top = k;
        Region = RegionNames[top];
        RegionShare = shares[top];
    }

    /// <summary>|x - x^| per pixel: (H, W) row-major.</summary>
    public float[] Values { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>The pixel of the largest residual (the first one in row-major order on ties).</summary>
    public int PeakRow { get; }
    public int PeakColumn { get; }

    /// <summary>sum_p |x_p - x^_p|.</summary>
    public double Total { get; }

    /// <summary>The share of the total residual in each ninth, row-major from the upper left (all 0 when the total is 0).</summary>
    public IReadOnlyList<double> RegionShares { get; }

    /// <summary>The ninth holding the largest share ("upper left", "top", ..., "lower right") and that share.</summary>
    public string Region { get; }
    public double RegionShare { get; }

    /// <summary>Whether one ninth holds at least <see cref="ConcentratedShare"/> of the residual.</summary>
    public bool Concentrated => RegionShare >= ConcentratedShare;

    /// <summary>"concentrated in the upper left" or "spread over the image".</summary>
    public string Where => Concentrated ? $"concentrated in the {Region}" : "spread over the image";

    /// <summary>The map of one image x (C, H, W) and its reconstruction of the same shape.</summary>
    public static ResidualMap Of(ReadOnlySpan<float> x, ReadOnlySpan<float> reconstruction, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        if (x.Length != shape.Dim || reconstruction.Length != shape.Dim)
            throw new ArgumentException($"a residual map of {shape} images needs {shape.Dim} values for the image and its reconstruction, got {x.Length} and {reconstruction.Length}.");
        var r = new float[plane];
        for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < plane; p++) r[p] += MathF.Abs(x[c * plane + p] - reconstruction[c * plane + p]) / shape.Channels;
        return new ResidualMap(r, shape.Height, shape.Width);
    }
}

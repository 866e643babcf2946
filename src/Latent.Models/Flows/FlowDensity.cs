// The density of 8-bit images under one flow network (IDensity): the levels k of x = k / 255 (EightBitImages), the
// fixed dequantisation noise u*, the logit transform, and the flow's -ln p_L (Dequantisation states the bound):
//   nll(k) = -ln p_L(logit(alpha + (1 - 2 alpha)(k + u*) / 256)) - sum_i ln dl_i/dy_i + D ln 256      (nats)
// The model's own density and its background model (IBackgroundDensity) are two of these.
using Latent.Tensors;

namespace Latent.Models.Flows;

internal sealed class FlowDensity(FlowNetwork flow, ImageShape shape, float alpha) : IDensity
{
    private readonly float[] noise = Dequantisation.ScoreNoise(shape.Dim);

    public FlowNetwork Flow { get; } = flow;

    public Tensor NegativeLogLikelihood(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = shape.Dim;
        if (x.RowLength != d) throw new ArgumentException($"the flow takes {shape} images ({d} values); got {x.RowLength} values per image.");
        int n = x.Dim(0);
        (Tensor l, double[] extra) = Transform(x, noise, alpha, shape);
        using var _ = GradMode.Disable();
        Tensor nll = Flow.Nll(l);                                             // (N)
        var r = new Tensor(n);
        for (int i = 0; i < n; i++) r.Data[i] = (float)(nll.Data[i] + extra[i]);
        return r;
    }

    /// <summary>x = k / 255 (N, C, H, W) -> l (N, C, H, W) and the nats the transform adds per sample.</summary>
    public static (Tensor L, double[] Extra) Transform(Tensor x, ReadOnlySpan<float> u, float alpha, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Dim(0);
        byte[] k = Scores.EightBitImages.Levels(x.Data, shape.Dim);
        var l = Tensor.Uninitialized(n, shape.Channels, shape.Height, shape.Width);
        double[] extra = Dequantisation.Forward(l.Data, k, u, shape.Dim, alpha);
        return (l, extra);
    }
}

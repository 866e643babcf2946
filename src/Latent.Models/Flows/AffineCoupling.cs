// The affine coupling layer of RealNVP (Dinh et al. 2017, eq. 4-9) with a binary mask b over (C, H, W):
//   y = b . x + (1 - b) . (x . exp(s(b . x)) + t(b . x)),   ln |det dy/dx| = sum (1 - b) . s(b . x)
//   x = b . y + (1 - b) . (y - t(b . y)) . exp(-s(b . y))                         (the inverse: b . y = b . x)
// Masks: checkerboard b[c, i, j] = (i + j + parity) mod 2, or channel-wise b = 1 on the first (parity 0) or second
// half of the channels. s and t come from one small convolutional net (Glow's, Kingma & Dhariwal 2018, sec. 3.3):
// conv 3x3 C -> W, ReLU, conv 1x1 W -> W, ReLU, conv 3x3 W -> 2C, the last initialised to zero so that every
// coupling starts as the identity; s = tanh(raw s) bounds each layer's log-scale to (-1, 1). The ReLUs work in place
// (each overwrites its convolution's output, which nothing else reads): the two (N, W, H, W) activations per coupling
// that backward needs are all a step keeps of it, as in PyTorch (issue 20).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>The affine coupling layer of RealNVP (Dinh et al. 2017, eq. 4-9) with a binary mask b over (C, H, W).</summary>
public sealed class AffineCoupling : Module
{
    private readonly Sequential net;
    private readonly Tensor mask, inverseMask;
    private readonly int channels;

    public AffineCoupling(int channels, int height, int width, bool checkerboard, int parity, int hidden, Rng rng)
    {
        this.channels = channels;
        var last = new Conv2d(hidden, 2 * channels, 3, rng, padding: 1);
        last.Weight.Data.Clear();
        last.Bias!.Data.Clear();
        net = RegisterModule("net", new Sequential(
            new Conv2d(channels, hidden, 3, rng, padding: 1), new Relu(inPlace: true),   // in place: keeps one (N, W, H, W) per layer
            new Conv2d(hidden, hidden, 1, rng), new Relu(inPlace: true),
            last));
        mask = new Tensor(channels, height, width);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    mask.Data[(c * height + i) * width + j] = checkerboard
                        ? (i + j + parity) % 2
                        : (c < channels / 2) == (parity == 0) ? 1f : 0f;
        inverseMask = 1f - mask;
    }

    /// <summary>b (C, H, W): 1 where the input passes unchanged and conditions the rest.</summary>
    public Tensor Mask => mask;

    /// <summary>(s, t) (N, C, H, W) each, zero where b = 1.</summary>
    private (Tensor S, Tensor T) ScaleShift(Tensor xb)
    {
        Tensor h = net.Forward(xb);                                           // (N, 2C, H, W)
        return (h.Slice(1, 0, channels).Tanh() * inverseMask, h.Slice(1, channels, channels) * inverseMask);
    }

    /// <summary>x (N, C, H, W) -> y (N, C, H, W), ln |det dy/dx| (N). Without a gradient (scoring, the mean training
    /// nll) the coupling is a phase of the pool's step: only y and ln |det| outlive it.</summary>
    public (Tensor Y, Tensor LogDet) ToNoise(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (GradMode.IsEnabled) return Couple(x);
        Tensor y = Tensor.Uninitialized(x.ShapeArray()), logDet = Tensor.Uninitialized(x.Dim(0));   // (N, C, H, W), (N)
        using (BufferPool.Current?.Phase())
        {
            (Tensor yPhase, Tensor ldPhase) = Couple(x);
            yPhase.Data.CopyTo(y.Data);
            ldPhase.Data.CopyTo(logDet.Data);
        }
        return (y, logDet);
    }

    private (Tensor Y, Tensor LogDet) Couple(Tensor x)
    {
        Tensor xb = x * mask;
        (Tensor s, Tensor t) = ScaleShift(xb);
        Tensor y = xb + (x - xb) * s.Exp() + t;
        return (y, s.Reshape(x.Dim(0), x.RowLength).Sum(1));
    }

    /// <summary>y -> x, the inverse (no gradient); in a pool step only x outlives it (a phase, as ToNoise's).</summary>
    public Tensor FromNoise(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        using var _ = GradMode.Disable();
        Tensor x = Tensor.Uninitialized(y.ShapeArray());                     // (N, C, H, W)
        using (BufferPool.Current?.Phase())
        {
            Tensor yb = y * mask;
            (Tensor s, Tensor t) = ScaleShift(yb);
            (yb + (y - yb - t) * (-s).Exp()).Data.CopyTo(x.Data);
        }
        return x;
    }

    public override Tensor Forward(Tensor input) => ToNoise(input).Y;
}

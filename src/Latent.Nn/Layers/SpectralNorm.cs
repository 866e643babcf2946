// Spectral normalisation wrapper (Miyato et al. 2018; torch.nn.utils.spectral_norm with n_power_iterations = 1,
// eps = 1e-12): the wrapped layer runs with W / sigma(W) instead of W. Like PyTorch, the wrapper owns the layer's
// tensors under PyTorch's names: "weight_orig" (the trainable W), "bias", and the buffers "weight_u" (h) and
// "weight_v" (w), both initialised to normalised N(0, 1) draws. In training mode each forward first runs the power
// iteration (updating u and v); in eval mode u and v are used as they are. dim is 0 for Conv2d and Linear, 1 for
// ConvTranspose2d (PyTorch's default for each).
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>Spectral normalisation wrapper (Miyato et al. 2018; torch.nn.utils.spectral_norm with n_power_iterations = 1, eps = 1e-12): the wrapped layer runs with W / sigma(W) instead of W.</summary>
public sealed class SpectralNorm : Module
{
    private readonly Module inner;
    private readonly int dim;

    public SpectralNorm(Module layer, Rng rng, int powerIterations = 1)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(rng);
        if (powerIterations < 1) throw new ArgumentOutOfRangeException(nameof(powerIterations), $"SpectralNorm needs at least one power iteration, got {powerIterations}.");
        (Tensor w, Tensor? b, dim) = layer switch
        {
            Conv2d c => (c.Weight, c.Bias, 0),
            ConvTranspose2d t => (t.Weight, t.Bias, 1),
            Linear l => (l.Weight, l.Bias, 0),
            _ => throw new ArgumentException($"SpectralNorm wraps Conv2d, ConvTranspose2d or Linear, not {layer.GetType().Name}.", nameof(layer)),
        };
        inner = layer;
        PowerIterations = powerIterations;
        WeightOrig = RegisterParameter("weight_orig", w);
        if (b is not null) RegisterParameter("bias", b);
        int h = w.Dim(dim);
        U = RegisterBuffer("weight_u", NormalisedNormal(h, rng));
        V = RegisterBuffer("weight_v", NormalisedNormal(w.Length / h, rng));
    }

    public int PowerIterations { get; }
    /// <summary>The wrapped Conv2d, ConvTranspose2d or Linear (its stride, padding and bias; its weight is WeightOrig).</summary>
    public Module Layer => inner;
    /// <summary>The trainable weight before normalisation.</summary>
    public Tensor WeightOrig { get; }
    /// <summary>Left singular vector estimate (h).</summary>
    public Tensor U { get; }
    /// <summary>Right singular vector estimate (w).</summary>
    public Tensor V { get; }

    /// <summary>The normalised weight W / sigma for the current mode (runs the power iteration in training mode).</summary>
    public Tensor NormalisedWeight() => SpectralNormOps.Normalize(WeightOrig, U, V, dim, IsTraining ? PowerIterations : 0);

    public override Tensor Forward(Tensor input)
    {
        Tensor w = NormalisedWeight();
        return inner switch
        {
            Conv2d c => c.ForwardWith(input, w),
            ConvTranspose2d t => t.ForwardWith(input, w),
            Linear l => Tensor.Linear(input, w, l.Bias),
            _ => throw new InvalidOperationException("unreachable: checked in the constructor"),
        };
    }

    private static Tensor NormalisedNormal(int n, Rng rng)
    {
        var t = new Tensor(n);
        rng.Normal(t.Data);
        float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(t.Data));
        System.Numerics.Tensors.TensorPrimitives.Multiply(t.Data, 1f / MathF.Max(norm, 1e-12f), t.Data);
        return t;
    }
}

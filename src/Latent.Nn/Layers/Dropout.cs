// Inverted dropout (torch.nn.Dropout, Srivastava et al. 2014): in training mode each element is zeroed
// with probability p and the survivors are scaled by 1 / (1 - p); in eval mode it is the identity.
// The mask comes from the given Rng, so runs are reproducible.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Inverted dropout (torch.nn.Dropout, Srivastava et al. 2014): in training mode each element is zeroed with probability p and the survivors are scaled by 1 / (1 - p); in eval mode it is the identity.</summary>
public sealed class Dropout : Module
{
    private readonly Rng rng;

    public Dropout(float p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        P = p;
        this.rng = rng;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || P == 0f) return input;
        Tensor mask = Tensor.Uninitialized(input.ShapeArray());
        Span<float> m = mask.Data;
        float keep = 1f / (1f - P);
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextFloat() < P ? 0f : keep;
        return input * mask;
    }
}

// A set of parameters that share hyper-parameters (torch.optim param_groups). A GAN gives its generator
// and discriminator separate optimisers; one optimiser may also hold several groups (e.g. a smaller
// learning rate for a pretrained encoder).
using Latent.Tensors;

namespace Latent.Nn.Optim;

/// <summary>A set of parameters that share hyper-parameters (torch.optim param_groups).</summary>
public sealed class ParamGroup
{
    public ParamGroup(IEnumerable<Tensor> parameters, float learningRate, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToList();
        foreach (Tensor p in Parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"Parameter {p} does not require a gradient; an optimiser can only update trainable tensors.", nameof(parameters));
        if (!(learningRate >= 0f)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Learning rate must be non-negative, got {learningRate}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Mutable, for schedules.</summary>
    public float LearningRate { get; set; }

    /// <summary>L2 penalty added to the gradient (torch's weight_decay).</summary>
    public float WeightDecay { get; set; }
}

// Stochastic gradient descent with optional momentum and L2 weight decay (torch.optim.SGD, dampening 0,
// no Nesterov): d = g + wd p; buf = momentum buf + d (buf = d at the first step); p -= lr buf.
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn.Optim;

/// <summary>Stochastic gradient descent with optional momentum and L2 weight decay (torch.optim.SGD, dampening 0, no Nesterov): d = g + wd p; buf = momentum buf + d (buf = d at the first step); p -= lr buf.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Tensor, float[]> buffers = new(ReferenceEqualityComparer.Instance);

    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f)
        : this([new ParamGroup(parameters, learningRate, weightDecay)], momentum) { }

    public Sgd(IEnumerable<ParamGroup> groups, float momentum = 0f) : base(groups)
    {
        if (!(momentum >= 0f)) throw new ArgumentOutOfRangeException(nameof(momentum), $"SGD momentum must be non-negative, got {momentum}.");
        Momentum = momentum;
    }

    public float Momentum { get; }

    public override void Step()
    {
        foreach (ParamGroup group in Groups)
            foreach (Tensor p in group.Parameters)
            {
                if (p.Grad is null) continue;
                bool first = false;
                float[] buf = [];
                if (Momentum != 0f && !buffers.TryGetValue(p, out buf!)) { buffers[p] = buf = new float[p.Length]; first = true; }
                OptimizerKernels.SgdUpdate(p.Grad.Data, group.LearningRate, Momentum, group.WeightDecay, first, buf, p.Data);
            }
    }
}

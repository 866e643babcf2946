// Adam (Kingma & Ba 2015, Algorithm 1). Defaults equal torch.optim.Adam: lr 1e-3, betas (0.9, 0.999),
// eps 1e-8, weight decay 0 (L2 added to the gradient, not AdamW). The update, per parameter at step t:
//   m    = b1 m + (1 - b1) g                       first moment
//   v    = b2 v + (1 - b2) g^2                     second moment
//   mHat = m / (1 - b1^t),  vHat = v / (1 - b2^t)  bias corrections
//   p   -= lr mHat / (sqrt(vHat) + eps)
// in one fused pass per tensor (Kernels/OptimizerKernels.AdamUpdate), bias corrections in double like torch.
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn.Optim;

/// <summary>Adam (Kingma &amp; Ba 2015, Algorithm 1).</summary>
public sealed class Adam : Optimizer
{
    private readonly Dictionary<Tensor, State> state = new(ReferenceEqualityComparer.Instance);

    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this([new ParamGroup(parameters, learningRate, weightDecay)], beta1, beta2, eps) { }

    public Adam(IEnumerable<ParamGroup> groups, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f) : base(groups)
    {
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f))
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam betas must be in [0, 1), got ({beta1}, {beta2}).");
        if (!(eps > 0f)) throw new ArgumentOutOfRangeException(nameof(eps), $"Adam eps must be positive, got {eps}.");
        Beta1 = beta1; Beta2 = beta2; Eps = eps;
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }

    public override void Step()
    {
        foreach (ParamGroup group in Groups)
            foreach (Tensor p in group.Parameters)
            {
                if (p.Grad is null) continue;
                if (!state.TryGetValue(p, out State? s)) state[p] = s = new State(p.Length);
                s.Step++;
                double bc1 = 1 - Math.Pow(Beta1, s.Step), bc2 = 1 - Math.Pow(Beta2, s.Step);   // bias corrections
                OptimizerKernels.AdamUpdate(p.Grad.Data, group.LearningRate, Beta1, Beta2, Eps, group.WeightDecay,
                    (float)bc1, (float)bc2, s.M, s.V, p.Data);                              // m, v, mHat, vHat, p
            }
    }

    /// <summary>Steps taken for <paramref name="parameter"/> (0 before its first update).</summary>
    public int StepCount(Tensor parameter) => state.TryGetValue(parameter, out State? s) ? s.Step : 0;

    /// <summary>The moments m, v and the step count of <paramref name="parameter"/> (false before its first update).
    /// The arrays are the optimiser's own: copy them to keep them.</summary>
    public bool TryGetMoments(Tensor parameter, out float[] m, out float[] v, out int step)
    {
        bool has = state.TryGetValue(parameter, out State? s);
        (m, v, step) = has ? (s!.M, s.V, s.Step) : ([], [], 0);
        return has;
    }

    /// <summary>Restores the moments of <paramref name="parameter"/> saved with <see cref="TryGetMoments"/> (resuming a run).</summary>
    public void SetMoments(Tensor parameter, ReadOnlySpan<float> m, ReadOnlySpan<float> v, int step)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!Groups.Any(g => g.Parameters.Contains(parameter, ReferenceEqualityComparer.Instance)))
            throw new ArgumentException("the tensor is not a parameter of this optimiser.", nameof(parameter));
        if (m.Length != parameter.Length || v.Length != parameter.Length)
            throw new ArgumentException($"moments of {m.Length} and {v.Length} values for a parameter of {parameter.Length}.", nameof(parameter));
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "a saved Adam state has at least one step.");
        var s = new State(parameter.Length) { Step = step };
        m.CopyTo(s.M);
        v.CopyTo(s.V);
        state[parameter] = s;
    }

    private sealed class State(int length)
    {
        public float[] M { get; } = new float[length];
        public float[] V { get; } = new float[length];
        public int Step { get; set; }
    }
}

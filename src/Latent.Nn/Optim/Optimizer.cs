// Base of the optimisers: parameter groups, ZeroGrad, Step. Reference: torch.optim.Optimizer.
using Latent.Tensors;

namespace Latent.Nn.Optim;

/// <summary>Base of the optimisers: parameter groups, ZeroGrad, Step.</summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<ParamGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = groups.ToList();
        if (Groups.Count == 0) throw new ArgumentException("An optimiser needs at least one parameter group.", nameof(groups));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (ParamGroup g in Groups)
            foreach (Tensor p in g.Parameters)
                if (!seen.Add(p)) throw new ArgumentException($"Parameter {p} appears in more than one group.", nameof(groups));
    }

    public IReadOnlyList<ParamGroup> Groups { get; }

    /// <summary>Clears the gradient of every parameter (torch zero_grad with set_to_none=False).</summary>
    public void ZeroGrad()
    {
        foreach (ParamGroup g in Groups)
            foreach (Tensor p in g.Parameters) p.ZeroGrad();
    }

    /// <summary>One update from the accumulated gradients; parameters without a gradient are skipped.</summary>
    public abstract void Step();
}

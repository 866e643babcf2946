// MAF (Papamakarios et al. 2017): B MADE steps in alternating orders (natural, reversed, ...) with batch norm between
// them; with B = 1 and no batch norm it is MADE with Gaussian conditionals on its own (the paper's "MADE" row).
//   l (N, C, H, W) -> x (N, D) -> MADE_1 -> BN_1 -> MADE_2 -> ... -> MADE_B -> z (N, D)
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>MAF (Papamakarios et al. 2017).</summary>
public sealed class Maf : FlowNetwork
{
    private readonly Made[] steps;
    private readonly FlowBatchNorm[] norms;
    private readonly ImageShape shape;

    public Maf(ImageShape shape, int blocks, int hidden, int hiddenLayers, bool batchNorm, Rng rng)
    {
        this.shape = shape;
        steps = new Made[blocks];
        norms = new FlowBatchNorm[batchNorm ? blocks - 1 : 0];
        for (int b = 0; b < blocks; b++)
        {
            steps[b] = RegisterModule($"made{b}", new Made(shape.Dim, hidden, hiddenLayers, reversed: b % 2 == 1, rng));
            if (b < norms.Length) norms[b] = RegisterModule($"bn{b}", new FlowBatchNorm(shape.Dim));
        }
    }

    public IReadOnlyList<Made> Steps => steps;

    public override (Tensor Z, Tensor LogDet) ToLatent(Tensor l)
    {
        ArgumentNullException.ThrowIfNull(l);
        int n = l.Dim(0);
        Tensor x = l.Reshape(n, shape.Dim);                                   // (N, D)
        Tensor logDet = Tensor.Zeros(n);
        for (int b = 0; b < steps.Length; b++)
        {
            (x, Tensor ld) = steps[b].ToNoise(x);
            logDet += ld;
            if (b < norms.Length)
            {
                (x, Tensor bn) = norms[b].ToNoise(x);
                logDet += bn;
            }
        }
        return (x, logDet);
    }

    public override Tensor FromLatent(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        Tensor x = z;
        for (int b = steps.Length - 1; b >= 0; b--)
        {
            if (b < norms.Length) x = norms[b].FromNoise(x);
            x = steps[b].FromNoise(x);
        }
        return x.Reshape(z.Dim(0), shape.Channels, shape.Height, shape.Width);
    }
}

// The bijection of a flow, f: R^D -> R^D from the (logit-transformed) image l to the code z with the standard normal
// prior, and its log-determinant (Dinh et al. 2017, eq. 3):
//   -ln p_L(l) = 0.5 ||f(l)||^2 + (D/2) ln 2 pi - ln |det df/dl|
// ToLatent records the autograd graph (training); FromLatent is the inverse, for sampling (no gradient).
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>The bijection of a flow, f.</summary>
public abstract class FlowNetwork : Module
{
    private static readonly float HalfLog2Pi = 0.5f * MathF.Log(2 * MathF.PI);

    /// <summary>l (N, C, H, W) -> z (N, D) and ln |det dz/dl| per sample (N).</summary>
    public abstract (Tensor Z, Tensor LogDet) ToLatent(Tensor l);

    /// <summary>z (N, D) -> l (N, C, H, W): the inverse of <see cref="ToLatent"/>.</summary>
    public abstract Tensor FromLatent(Tensor z);

    public override Tensor Forward(Tensor input) => ToLatent(input).Z;

    /// <summary>-ln p_L(l) per sample (N), nats, under the standard normal prior on z.</summary>
    public Tensor Nll(Tensor l)
    {
        (Tensor z, Tensor logDet) = ToLatent(l);
        int d = z.Dim(1);
        return z.Square().Sum(1) * 0.5f + d * HalfLog2Pi - logDet;
    }
}

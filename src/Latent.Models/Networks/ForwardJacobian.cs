// The exact Jacobian J = dG/dz (D, Z) of a decoder at a batch of codes, by forward-mode differentiation (JVPs),
// batched: the Z tangent directions e_1 .. e_Z of every sample travel together as a (N Z, ...) tangent batch beside
// the (N, ...) primal batch, so each layer runs once for all columns. Row n Z + j of the result is column j of J at
// z_n: J^T, (N, Z, D). Layer rules (t = tangent, x = the layer's primal input):
//   Linear / Conv2d / ConvTranspose2d    t -> W t (the layer without its bias: it is linear in its input)
//   ReLU, LeakyReLU(a)                    t -> t * [x > 0] (or a where x <= 0)
//   BatchNorm (eval mode)                 t -> t * gamma / sqrt(running_var + eps) per channel
//   Sigmoid                               t -> t * s (1 - s),  s = sigmoid(x)
//   Tanh                                  t -> t * (1 - y^2),  y = tanh(x)   (the GAN generators' output)
//   Flatten, Unflatten                    reshape
// Any other layer is a NotSupportedException naming it. Reference: Griewank & Walther, "Evaluating Derivatives"
// (2008), ch. 3; the seed study and GPND (Pidhorskyi et al. 2018) use J for the density of x = G(z).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Models.Networks;

/// <summary>The exact Jacobian J = dG/dz (D, Z) of a decoder at a batch of codes, by forward-mode differentiation (JVPs), batched.</summary>
public static class ForwardJacobian
{
    /// <summary>J^T of <paramref name="net"/> at codes z (N, Z): (N Z, D...) where row n Z + j = dG(z_n)/dz_j, and the
    /// primal output G(z) (N, D...). <paramref name="sigmoidOutput"/> appends a sigmoid (a Bernoulli decoder's mean).
    /// Runs without recording a graph; batch norm must be in eval mode.</summary>
    public static (Tensor JacobianT, Tensor Output) Compute(Sequential net, Tensor z, bool sigmoidOutput)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2) throw new ArgumentException($"ForwardJacobian: codes must be (N, Z), got {Tensor.ShapeString(z.Shape)}.");
        int n = z.Dim(0), k = z.Dim(1);
        using var _ = GradMode.Disable();
        var t = new Tensor(n * k, k);                                      // (N Z, Z): identity per sample
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) t.Data[(i * k + j) * k + j] = 1f;
        Tensor x = z;
        foreach (Module layer in net.Layers)
        {
            t = Tangent(layer, x, t, k);
            x = layer.Forward(x);
        }
        if (sigmoidOutput)
        {
            x = x.Sigmoid();
            ScaleBySample(t, x, k, static s => s * (1f - s));
        }
        return (t, x);
    }

    private static Tensor Tangent(Module layer, Tensor x, Tensor t, int k)
    {
        switch (layer)
        {
            case Linear l: return Tensor.Linear(t, l.Weight, null);
            case Conv2d c: return ConvOps.Conv2d(t, c.Weight, null, c.Stride, c.Padding);
            case ConvTranspose2d c: return ConvOps.ConvTranspose2d(t, c.Weight, null, c.Stride, c.Padding, c.OutputPadding);
            case Relu:
                ScaleBySample(t, x, k, static v => v > 0f ? 1f : 0f);
                return t;
            case LeakyRelu r:
                float a = r.Slope;
                ScaleBySample(t, x, k, v => v > 0f ? 1f : a);
                return t;
            case Sigmoid:
                {
                    Tensor s = x.Sigmoid();
                    ScaleBySample(t, s, k, static v => v * (1f - v));
                    return t;
                }
            case Tanh:
                {
                    Tensor y = x.Tanh();
                    ScaleBySample(t, y, k, static v => 1f - v * v);
                    return t;
                }
            case BatchNormBase bn:
                {
                    if (bn.IsTraining) throw new InvalidOperationException("ForwardJacobian: batch norm is in training mode; call Eval() on the network first.");
                    int c = bn.Channels, inner = t.RowLength / c;
                    Span<float> d = t.Data;
                    for (int r = 0; r < t.Rows; r++)
                        for (int ch = 0; ch < c; ch++)
                        {
                            float g = (bn.Weight?.Data[ch] ?? 1f) / MathF.Sqrt(bn.RunningVar.Data[ch] + bn.Eps);
                            Span<float> row = d.Slice(r * t.RowLength + ch * inner, inner);
                            System.Numerics.Tensors.TensorPrimitives.Multiply(row, g, row);
                        }
                    return t;
                }
            case Flatten: return t.Reshape(t.Rows, t.RowLength);
            case Unflatten u: return t.Reshape([t.Rows, .. u.Shape]);
            default:
                throw new NotSupportedException($"ForwardJacobian: no forward-mode rule for layer {layer.GetType().Name}; decoders may use Linear, Conv2d, ConvTranspose2d, ReLU, LeakyReLU, Sigmoid, Tanh, batch norm, Flatten and Unflatten.");
        }
    }

    /// <summary>t[n Z + j, i] *= f(x[n, i]) for every tangent row of sample n.</summary>
    private static void ScaleBySample(Tensor t, Tensor x, int k, Func<float, float> f)
    {
        int len = x.RowLength;
        Span<float> td = t.Data;
        ReadOnlySpan<float> xd = x.Data;
        var scale = new float[len];
        for (int n = 0; n < x.Rows; n++)
        {
            for (int i = 0; i < len; i++) scale[i] = f(xd[n * len + i]);
            for (int j = 0; j < k; j++)
                System.Numerics.Tensors.TensorPrimitives.Multiply(td.Slice((n * k + j) * len, len), scale, td.Slice((n * k + j) * len, len));
        }
    }
}

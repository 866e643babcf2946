// Masked 2-D convolution of PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4 and
// Fig. 4): a stride-1 "same" convolution (odd K, padding K / 2) whose weight is multiplied by a fixed 0/1 mask, so that
// the output at pixel (i, j) depends only on the pixels before it in raster order:
//
//   y = conv2d(x, W . M) + b,   dW = M . dW_eff,   dx = conv2d_backward(W . M)
//
// M[f, c, kh, kw] = 1 above the centre row, left of the centre on the centre row, and at the centre when the groups
// allow it: with G image channels (colour groups R, G, B, ...), input channel c belongs to group c G / C and output
// channel f to group f G / F; at the centre, mask A keeps group(f) > group(c), mask B group(f) >= group(c). With one
// image channel (G = 1) mask A removes the centre and mask B keeps it. A 1 x 1 convolution with mask B is the paper's
// per-pixel layer. The arithmetic is the existing im2col + GEMM kernel (Conv2dKernel) on the masked weight; the
// weight's masked entries are zeroed at init and receive zero gradient, so the stored weight is the one applied.
// Parameters "weight" (F, C, K, K) and "bias" (F), PyTorch's default init as Conv2d.
using System.Buffers;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn.Layers;

/// <summary>Masked 2-D convolution of PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4 and Fig. 4).</summary>
public sealed class MaskedConv2d : Module
{
    private readonly float[] mask;                                            // (F, C, K, K)

    public MaskedConv2d(int inChannels, int outChannels, int kernelSize, MaskType type, Rng rng, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize),
                $"MaskedConv2d needs positive channels and an odd kernel; got in {inChannels}, out {outChannels}, kernel {kernelSize}.");
        if (!Enum.IsDefined(type)) throw new ArgumentOutOfRangeException(nameof(type), $"mask type {(int)type} is unknown; use A or B.");
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), $"MaskedConv2d: {groups} colour groups must divide the {inChannels} input and {outChannels} output channels.");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize; Type = type; Groups = groups;
        int fanIn = inChannels * kernelSize * kernelSize;
        Weight = RegisterParameter("weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Init.PyTorchDefaultWeight(Weight, fanIn, rng);
        Bias = RegisterParameter("bias", new Tensor(outChannels));
        Init.PyTorchDefaultBias(Bias, fanIn, rng);
        mask = Mask(outChannels, inChannels, kernelSize, type, groups);
        for (int i = 0; i < mask.Length; i++) Weight.Data[i] *= mask[i];
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public MaskType Type { get; }
    public int Groups { get; }

    /// <summary>(F, C, K, K), masked entries zero.</summary>
    public Tensor Weight { get; }

    /// <summary>(F).</summary>
    public Tensor Bias { get; }

    /// <summary>The 0/1 mask (F, C, K, K) as a copy.</summary>
    public float[] MaskValues => (float[])mask.Clone();

    /// <summary>Rows above the centre that one output sees (K / 2): the layer's share of the vertical receptive field.</summary>
    public int Reach => KernelSize / 2;

    /// <summary>The mask of a (F, C, K, K) weight: 1 where an output may see an input (see the file header).</summary>
    public static float[] Mask(int outChannels, int inChannels, int kernelSize, MaskType type, int groups = 1)
    {
        var m = new float[outChannels * inChannels * kernelSize * kernelSize];
        int c0 = kernelSize / 2;
        for (int f = 0; f < outChannels; f++)
            for (int c = 0; c < inChannels; c++)
            {
                long gf = (long)f * groups / outChannels, gc = (long)c * groups / inChannels;
                bool centre = type == MaskType.A ? gf > gc : gf >= gc;
                for (int kh = 0; kh < kernelSize; kh++)
                    for (int kw = 0; kw < kernelSize; kw++)
                        m[((f * inChannels + c) * kernelSize + kh) * kernelSize + kw] =
                            kh < c0 || (kh == c0 && kw < c0) || (kh == c0 && kw == c0 && centre) ? 1f : 0f;
            }
        return m;
    }

    /// <summary>(N, C, H, W) -> (N, F, H, W).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(1) != InChannels)
            throw new ArgumentException($"MaskedConv2d: input must be (N, {InChannels}, H, W); got {Tensor.ShapeString(input.Shape)}.", nameof(input));
        var g = ConvShape.Conv(input.Dim(0), InChannels, OutChannels, input.Dim(2), input.Dim(3), KernelSize, KernelSize, 1, KernelSize / 2);
        var wm = new float[mask.Length];                                       // W . M (F, C, K, K), kept for the backward
        System.Numerics.Tensors.TensorPrimitives.Multiply(Weight.Data, mask, wm);
        Tensor y = Tensor.Uninitialized(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        Conv2dKernel.Forward(input.Data, wm, Bias.Data, y.Data, g);
        return Tensor.Record("masked_conv2d", y, [input, Weight, Bias], static y =>
        {
            var s = (State)y.OpState!;
            Tensor x = y.Inputs[0], w = y.Inputs[1], b = y.Inputs[2];
            int len = s.Mask.Length;
            float[]? dWeff = w.RequiresGrad ? ArrayPool<float>.Shared.Rent(len) : null;
            dWeff?.AsSpan(0, len).Clear();
            Conv2dKernel.Backward(x.Data, s.MaskedWeight, y.Grad!.Data, x.RequiresGrad ? x.EnsureGrad() : default,
                dWeff is null ? default : dWeff.AsSpan(0, len), b.RequiresGrad ? b.EnsureGrad() : default, s.Shape);
            if (dWeff is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dWeff.AsSpan(0, len), s.Mask, w.EnsureGrad(), w.EnsureGrad());   // dW += M . dW_eff
                ArrayPool<float>.Shared.Return(dWeff);
            }
        }, state: new State(g, wm, mask));
    }

    private sealed record State(ConvShape Shape, float[] MaskedWeight, float[] Mask);
}

// Differentiable 2-D convolution and transposed convolution (torch.nn.functional.conv2d / conv_transpose2d,
// dilation 1, groups 1), recorded through the autograd extension point Tensor.Record. The arithmetic is in
// Kernels/Conv2dKernel.cs and Kernels/ConvTranspose2dKernel.cs; this file only checks shapes and wires the graph.
//
//   conv2d            x (N, C, H, W), weight (F, C, KH, KW), bias (F) -> (N, F, OH, OW)
//   conv_transpose2d  x (N, C, H, W), weight (C, F, KH, KW), bias (F) -> (N, F, OH, OW)
using Latent.Tensors.Kernels;

namespace Latent.Tensors.Ops;

/// <summary>Convolution primitives on tensors.</summary>
public static class ConvOps
{
    /// <summary>Cross-correlation of x (N, C, H, W) with weight (F, C, KH, KW), plus bias (F) if given.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0) =>
        Record(x, weight, bias, Shape(x, weight, bias, false, stride, padding, 0));

    /// <summary>Transposed convolution of x (N, C, H, W) with weight (C, F, KH, KW), plus bias (F) if given;
    /// output size (H - 1) stride - 2 padding + KH + outputPadding.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int outputPadding = 0) =>
        Record(x, weight, bias, Shape(x, weight, bias, true, stride, padding, outputPadding));

    /// <summary>y = the convolution g describes (Conv2dKernel, or ConvTranspose2dKernel when g is transposed), recorded
    /// with its backward: the gradients of the inputs that require them.</summary>
    private static Tensor Record(Tensor x, Tensor weight, Tensor? bias, ConvShape g)
    {
        Tensor y = Tensor.Uninitialized(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth);
        long t0 = ConvOpProfile.Start();
        if (g.Transposed) ConvTranspose2dKernel.Forward(x.Data, weight.Data, bias is null ? default : bias.Data, y.Data, g);
        else Conv2dKernel.Forward(x.Data, weight.Data, bias is null ? default : bias.Data, y.Data, g);
        ConvOpProfile.Stop(t0, OpName(g), g, "forward");
        return Tensor.Record(OpName(g), y, bias is null ? [x, weight] : [x, weight, bias], static y =>
        {
            var g = (ConvShape)y.OpState!;
            Tensor x = y.Inputs[0], w = y.Inputs[1];
            Tensor? b = y.Inputs.Length > 2 ? y.Inputs[2] : null;
            long t0 = ConvOpProfile.Start();
            // The input's first gradient is written, not added to zeros (usually the only one: x is an activation's output).
            bool fresh = false;
            Span<float> dX = x.RequiresGrad ? x.GradForWrite(out fresh) : default, dW = w.RequiresGrad ? w.EnsureGrad() : default;
            Span<float> dB = b is { RequiresGrad: true } ? b.EnsureGrad() : default;
            if (g.Transposed) ConvTranspose2dKernel.Backward(x.Data, w.Data, y.Grad!.Data, dX, dW, dB, g, fresh);
            else Conv2dKernel.Backward(x.Data, w.Data, y.Grad!.Data, dX, dW, dB, g, fresh);
            if (ConvOpProfile.Enabled) ConvOpProfile.Stop(t0, OpName(g), g, BackwardPhase(!dX.IsEmpty, !dW.IsEmpty, !dB.IsEmpty));
        }, state: g);
    }

    /// <summary>The profile's name of a backward call, by the gradients it computed: "backward dX dW dB", "backward dW dB", ...
    /// (a training step skips dX where the input needs no gradient, e.g. the first layer on the images).</summary>
    private static string BackwardPhase(bool dX, bool dW, bool dB) =>
        "backward" + (dX ? " dX" : "") + (dW ? " dW" : "") + (dB ? " dB" : "");

    private static string OpName(in ConvShape g) => g.Transposed ? "conv_transpose2d" : "conv2d";

    private static ConvShape Shape(Tensor x, Tensor weight, Tensor? bias, bool transposed, int stride, int padding, int outputPadding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        string op = transposed ? "ConvTranspose2d" : "Conv2d";
        if (x.Rank != 4) throw new ArgumentException($"{op}: input must be (N, C, H, W), got shape {Tensor.ShapeString(x.Shape)}; reshape a flat batch first (Unflatten).");
        if (weight.Rank != 4) throw new ArgumentException($"{op}: weight must have rank 4, got {Tensor.ShapeString(weight.Shape)}.");
        int c = x.Dim(1), wIn = transposed ? weight.Dim(0) : weight.Dim(1), f = transposed ? weight.Dim(1) : weight.Dim(0);
        if (c != wIn)
            throw new ArgumentException($"{op}: input has {c} channels but the weight {Tensor.ShapeString(weight.Shape)} expects {wIn}.");
        if (bias is not null && (bias.Rank != 1 || bias.Length != f))
            throw new ArgumentException($"{op}: bias must have shape ({f}), got {Tensor.ShapeString(bias.Shape)}.");
        return transposed
            ? ConvShape.ConvTranspose(x.Dim(0), c, f, x.Dim(2), x.Dim(3), weight.Dim(2), weight.Dim(3), stride, padding, outputPadding)
            : ConvShape.Conv(x.Dim(0), c, f, x.Dim(2), x.Dim(3), weight.Dim(2), weight.Dim(3), stride, padding);
    }
}

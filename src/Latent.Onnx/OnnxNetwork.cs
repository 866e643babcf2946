// The eval-mode forward of a Latent.Nn network as ONNX nodes, layer by layer (names and layouts are PyTorch's, as are
// ONNX's, so weights go over unchanged):
//   Linear            y = x W^T + b              Gemm(transB = 1)                       (N, in) -> (N, out)
//   Conv2d            weight (F, C, K, K)        Conv(pads, strides)                    (N, C, H, W) -> (N, F, OH, OW)
//   MaskedConv2d      the weight W . M (PixelCNN's masks A and B), a stride-1 Conv with padding K / 2
//   ConvTranspose2d   weight (C, F, K, K)        ConvTranspose(pads, strides, output_padding)
//   BatchNorm1d / 2d  running statistics        BatchNormalization(epsilon)            (N, C) or (N, C, H, W)
//   Relu, LeakyRelu(slope), Sigmoid, Tanh, Softplus; Flatten (axis 1); Unflatten -> Reshape (-1, C, H, W);
//   SpectralNorm      the eval-mode W / sigma(W) (no power iteration in eval), then the wrapped layer
//   Dropout           the identity (eval mode)
// A layer without a translation is an ArgumentException naming it, so a new layer cannot be exported by accident.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Onnx;

internal static class OnnxNetwork
{
    /// <summary>Appends <paramref name="module"/>'s eval-mode forward of <paramref name="x"/>; returns the output's name.</summary>
    public static string Forward(OnnxGraph g, Module module, string x) => module switch
    {
        Sequential s => s.Layers.Aggregate(x, (v, m) => Forward(g, m, v)),
        Linear l => Gemm(g, x, l.Weight, l.Bias),
        Conv2d c => Conv(g, x, c.Weight, c.Bias, c.Stride, c.Padding),
        MaskedConv2d m => Conv(g, x, Masked(m), m.Bias, 1, m.KernelSize / 2),
        ConvTranspose2d t => ConvTranspose(g, x, t.Weight, t.Bias, t.Stride, t.Padding, t.OutputPadding),
        BatchNormBase b => BatchNorm(g, x, b),
        Relu => g.Op("Relu", x),
        LeakyRelu r => g.Node("LeakyRelu", [x], null, OnnxGraph.Float("alpha", r.Slope)),
        Sigmoid => g.Op("Sigmoid", x),
        Tanh => g.Op("Tanh", x),
        Softplus => g.Op("Softplus", x),
        Flatten => g.Node("Flatten", [x], null, OnnxGraph.Int("axis", 1)),
        Unflatten u => g.Op("Reshape", x, g.Int64s([-1, .. u.Shape.ToArray().Select(d => (long)d)])),
        Dropout => x,
        SpectralNorm sn => SpectralNormed(g, x, sn),
        _ => throw new ArgumentException($"the layer {module.GetType().Name} has no ONNX translation yet, so this model cannot be exported."),
    };

    private static string Gemm(OnnxGraph g, string x, Tensor weight, Tensor? bias)
    {
        string w = g.Weight(weight.Data, weight.Dim(0), weight.Dim(1));                     // (out, in)
        string[] inputs = bias is null ? [x, w] : [x, w, g.Weight(bias.Data, bias.Length)];
        return g.Node("Gemm", inputs, null, OnnxGraph.Int("transB", 1));
    }

    private static string Conv(OnnxGraph g, string x, Tensor weight, Tensor? bias, int stride, int padding)
    {
        string[] inputs = [x, Weight4(g, weight), .. bias is null ? Array.Empty<string>() : [g.Weight(bias.Data, bias.Length)]];
        return g.Node("Conv", inputs, null,
            OnnxGraph.Ints("kernel_shape", weight.Dim(2), weight.Dim(3)), OnnxGraph.Ints("strides", stride, stride),
            OnnxGraph.Ints("pads", padding, padding, padding, padding), OnnxGraph.Ints("dilations", 1, 1), OnnxGraph.Int("group", 1));
    }

    private static string ConvTranspose(OnnxGraph g, string x, Tensor weight, Tensor? bias, int stride, int padding, int outputPadding)
    {
        string[] inputs = [x, Weight4(g, weight), .. bias is null ? Array.Empty<string>() : [g.Weight(bias.Data, bias.Length)]];
        return g.Node("ConvTranspose", inputs, null,
            OnnxGraph.Ints("kernel_shape", weight.Dim(2), weight.Dim(3)), OnnxGraph.Ints("strides", stride, stride),
            OnnxGraph.Ints("pads", padding, padding, padding, padding), OnnxGraph.Ints("output_padding", outputPadding, outputPadding),
            OnnxGraph.Ints("dilations", 1, 1), OnnxGraph.Int("group", 1));
    }

    private static string BatchNorm(OnnxGraph g, string x, BatchNormBase b)
    {
        var ones = new float[b.Channels];
        Array.Fill(ones, 1f);
        string scale = b.Weight is null ? g.Weight(ones, b.Channels) : g.Weight(b.Weight.Data, b.Channels);
        string shift = b.Bias is null ? g.Weight(new float[b.Channels], b.Channels) : g.Weight(b.Bias.Data, b.Channels);
        return g.Node("BatchNormalization", [x, scale, shift, g.Weight(b.RunningMean.Data, b.Channels), g.Weight(b.RunningVar.Data, b.Channels)],
            null, OnnxGraph.Float("epsilon", b.Eps));
    }

    private static string SpectralNormed(OnnxGraph g, string x, SpectralNorm sn)
    {
        bool training = sn.IsTraining;
        sn.Eval();
        Tensor w;
        using (GradMode.Disable()) w = sn.NormalisedWeight();
        sn.Train(training);
        return sn.Layer switch
        {
            Linear l => Gemm(g, x, w, l.Bias),
            Conv2d c => Conv(g, x, w, c.Bias, c.Stride, c.Padding),
            ConvTranspose2d t => ConvTranspose(g, x, w, t.Bias, t.Stride, t.Padding, t.OutputPadding),
            var other => throw new ArgumentException($"the layer SpectralNorm({other.GetType().Name}) has no ONNX translation yet, so this model cannot be exported."),
        };
    }

    /// <summary>W . M (F, C, K, K): the weight the masked convolution applies.</summary>
    private static Tensor Masked(MaskedConv2d m)
    {
        float[] w = m.MaskValues;
        System.Numerics.Tensors.TensorPrimitives.Multiply(m.Weight.Data, w, w);
        return new Tensor(w, m.Weight.Dim(0), m.Weight.Dim(1), m.Weight.Dim(2), m.Weight.Dim(3));
    }

    private static string Weight4(OnnxGraph g, Tensor w) => g.Weight(w.Data, w.Dim(0), w.Dim(1), w.Dim(2), w.Dim(3));
}

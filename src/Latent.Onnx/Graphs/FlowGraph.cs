// The flows (made, maf, realnvp: Models/Flows) as ONNX nodes: the density of 8-bit images exactly as FlowDensity
// computes it, in the same precisions (float64 for the dequantisation and the logit transform's log-determinant, as
// Dequantisation.Forward; float32 through the network, as the C# tensors):
//   k = round(255 x)                                          (N, C, H, W) the 8-bit levels (EightBitImages)
//   y = (k + u*) / 256,  s = alpha + (1 - 2 alpha) y          float64; u* the fixed score noise (D), a constant
//   l = float(ln s - ln(1 - s))                               the logit transform, the flow's input
//   extra = D ln 256 - sum_i (ln(1 - 2 alpha) - ln s_i - ln(1 - s_i))                  float64, per image
//   (z, ln|det|) = f(l)                                       MAF: MADE steps (masked Gemm, mu and alpha = 5 tanh(a / 5),
//                                                             u = (x - mu) e^-alpha, ln|det| -= sum alpha), batch norm
//                                                             between them with the running statistics (eval mode);
//                                                             RealNVP: affine couplings (mask b, s = tanh(.) (1 - b),
//                                                             y = b x + (1 - b) x e^s + t), squeeze (a Reshape and a
//                                                             Transpose), half the channels factored out per scale
//   nll = float(0.5 ||z||^2 + D 0.5 ln 2 pi - ln|det| + extra)                         nats, as FlowDensity returns it
// The sums over the D values (||z||^2, every ln|det|) are taken in float64: the C# code sums them in float32, whose
// rounding (a few units in 1e6 of sums of thousands of nats) then is the only difference between the two.
// The network is read through the flow's registered modules (Module.Children: made{b}/bn{b}, layer{l}/out,
// s{s}_checker{k}/s{s}_channel{k}/final_checker{k}, net), so the flow code needs no accessor for the ONNX export.
// The graph does not check that x is on the 8-bit grid (latent score refuses such an image; the graph rounds it).
using Latent.Models;
using Latent.Models.Flows;
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Onnx.Graphs;

internal static class FlowGraph
{
    private const float AlphaBound = 5f, BatchNormEps = 1e-5f;
    private static readonly float HalfLog2Pi = 0.5f * MathF.Log(2 * MathF.PI);

    /// <summary>nll (N) in nats, float32 as FlowDensity returns it, of images (N, C, H, W) under <paramref name="flow"/>.</summary>
    public static string Nll(OnnxGraph g, FlowNetwork flow, FlowOptions options, string images)
    {
        flow.Eval();
        ImageShape shape = options.Shape;
        int d = shape.Dim;
        (string l, string extra) = Dequantise(g, images, shape, options.Alpha);
        (string z, string logDet) = flow switch
        {
            Maf maf => Maf(g, maf, l, d),
            RealNvpNetwork nvp => RealNvp(g, nvp, options, l),
            _ => throw new ArgumentException($"the flow network {flow.GetType().Name} has no ONNX translation."),
        };
        string half = g.Op("Mul", g.SumOfSquares(z, 1), g.Double(0.5));                           // (N) float64
        string nll = g.Op("Sub", g.Op("Add", half, g.Double(d * HalfLog2Pi)), logDet);            // (N) float64
        return g.ToFloat(g.Op("Add", nll, extra));                                                // float, as FlowDensity returns it
    }

    /// <summary>l (N, C, H, W) float and the nats the transform adds (N) float64, as Dequantisation.Forward.</summary>
    private static (string L, string Extra) Dequantise(OnnxGraph g, string images, ImageShape shape, float alpha)
    {
        int d = shape.Dim;
        double a = alpha, scale = 1 - 2.0 * alpha;
        float[] u = Dequantisation.ScoreNoise(d);
        string k = g.Op("Round", g.Op("Mul", images, g.Weight([255f], 1)));                       // (N, C, H, W) levels
        string un = g.Double([.. u.Select(v => (double)v)], shape.Channels, shape.Height, shape.Width);
        string y = g.Op("Div", g.Op("Add", g.ToDouble(k), un), g.Double(256.0));
        string s = g.Op("Add", g.Op("Mul", y, g.Double(scale)), g.Double(a));
        string logS = g.Op("Log", s), log1mS = g.Op("Log", g.Op("Sub", g.Double(1.0), s));
        string l = g.ToFloat(g.Op("Sub", logS, log1mS));
        string sumLogs = g.Sum(g.Op("Add", logS, log1mS), 1, 2, 3);                               // (N)
        string extra = g.Op("Add", sumLogs, g.Double(d * Math.Log(256) - d * Math.Log(scale)));
        return (l, extra);
    }

    private static (string Z, string LogDet) Maf(OnnxGraph g, Maf maf, string l, int d)
    {
        var children = maf.Children().ToDictionary(c => c.Name, c => c.Module);
        string x = g.Op("Reshape", l, g.Int64s(-1, d));                                             // (N, D)
        string? logDet = null;                                                                       // (N) float64
        for (int b = 0; b < maf.Steps.Count; b++)
        {
            (x, string ld) = Made(g, maf.Steps[b], x, d);
            logDet = logDet is null ? ld : g.Op("Add", logDet, ld);
            if (children.TryGetValue($"bn{b}", out Module? m))
            {
                var bn = (FlowBatchNorm)m;
                (x, double c) = BatchNorm(g, bn, x, d);
                logDet = g.Op("Add", logDet, g.Double(c));
            }
        }
        return (x, logDet ?? throw new ArgumentException("the maf network has no MADE step."));
    }

    /// <summary>One MADE step: x (N, D) -> u (N, D), -sum alpha (N, float64).</summary>
    private static (string U, string LogDet) Made(OnnxGraph g, Made made, string x, int d)
    {
        var layers = made.Children().Select(c => (MaskedLinear)c.Module).ToArray();               // layer0 .. layer{L-1}, out
        string h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            h = MaskedGemm(g, layers[i], h);
            if (i < layers.Length - 1) h = g.Op("Relu", h);
        }
        string mu = AutoencoderGraph.Slice(g, h, 0, d);
        string alpha = g.Op("Mul", g.Op("Tanh", g.Op("Mul", AutoencoderGraph.Slice(g, h, d, 2 * d), g.Weight([1f / AlphaBound], 1))), g.Weight([AlphaBound], 1));
        string u = g.Op("Mul", g.Op("Sub", x, mu), g.Op("Exp", g.Op("Neg", alpha)));
        return (u, g.Op("Neg", g.Sum(g.ToDouble(alpha), 1)));
    }

    private static string MaskedGemm(OnnxGraph g, MaskedLinear layer, string x)
    {
        var w = new float[layer.Weight.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(layer.Weight.Data, layer.Mask.Data, w);
        string wn = g.Weight(w, layer.Weight.Dim(0), layer.Weight.Dim(1));
        return g.Node("Gemm", [x, wn, g.Weight(layer.Bias.Data, layer.Bias.Length)], null, OnnxGraph.Int("transB", 1));
    }

    /// <summary>Eval-mode flow batch norm: y = (x - m) / sqrt(v + eps) e^gamma + beta; its ln|det| (the same for every image).</summary>
    private static (string Y, double LogDet) BatchNorm(OnnxGraph g, FlowBatchNorm bn, string x, int d)
    {
        var sd = new float[d];
        var scale = new float[d];
        double logDet = 0;
        for (int i = 0; i < d; i++)
        {
            float v = bn.RunningVar.Data[i] + BatchNormEps;
            sd[i] = MathF.Sqrt(v);
            scale[i] = MathF.Exp(bn.LogGamma.Data[i]);
            logDet += bn.LogGamma.Data[i] - MathF.Log(v) * 0.5f;                                     // each term in float, as the C# code
        }
        string y = g.Op("Add", g.Op("Mul", g.Op("Div", g.Op("Sub", x, g.Weight(bn.RunningMean.Data, d)), g.Weight(sd, d)), g.Weight(scale, d)), g.Weight(bn.Beta.Data, d));
        return (y, logDet);
    }

    private static (string Z, string LogDet) RealNvp(OnnxGraph g, RealNvpNetwork nvp, FlowOptions o, string l)
    {
        var children = nvp.Children().ToDictionary(c => c.Name, c => (AffineCoupling)c.Module);
        AffineCoupling Get(string name) => children.TryGetValue(name, out var c) ? c
            : throw new ArgumentException($"the realnvp network has no coupling '{name}' for its {o.Scales} scales of {o.Couplings} couplings.");
        string x = l;
        string? logDet = null;
        var parts = new List<string>();
        int c = o.Channels, h = o.Height, w = o.Width;
        void Step(AffineCoupling coupling)
        {
            (x, string ld) = Coupling(g, coupling, x);
            logDet = logDet is null ? ld : g.Op("Add", logDet, ld);
        }
        for (int s = 0; s < o.Scales; s++)
        {
            for (int k = 0; k < o.Couplings; k++) Step(Get($"s{s}_checker{k}"));
            x = Squeeze(g, x, c, h, w);                                                              // (N, 4C, H/2, W/2)
            for (int k = 0; k < o.Couplings; k++) Step(Get($"s{s}_channel{k}"));
            int half = 2 * c;
            h /= 2; w /= 2;
            parts.Add(g.Op("Reshape", AutoencoderGraph.Slice(g, x, 0, half), g.Int64s(-1, half * h * w)));
            x = AutoencoderGraph.Slice(g, x, half, 2 * half);                                       // (N, 2C, H/2, W/2)
            c = half;
        }
        for (int k = 0; k <= o.Couplings; k++) Step(Get($"final_checker{k}"));
        parts.Add(g.Op("Reshape", x, g.Int64s(-1, c * h * w)));
        string z = parts.Count == 1 ? parts[0] : g.Node("Concat", [.. parts], null, OnnxGraph.Int("axis", 1));
        return (z, logDet ?? throw new ArgumentException("the realnvp network has no coupling."));
    }

    /// <summary>An affine coupling: x (N, C, H, W) -> y, sum (1 - b) s (N, float64).</summary>
    private static (string Y, string LogDet) Coupling(OnnxGraph g, AffineCoupling coupling, string x)
    {
        Tensor mask = coupling.Mask;                                                                 // (C, H, W)
        int c = mask.Dim(0), h = mask.Dim(1), w = mask.Dim(2);
        var inverse = new float[mask.Length];
        for (int i = 0; i < inverse.Length; i++) inverse[i] = 1f - mask.Data[i];
        var net = (Sequential)coupling.Children().Single(m => m.Name == "net").Module;
        string b = g.Weight(mask.Data, c, h, w), nb = g.Weight(inverse, c, h, w);
        string xb = g.Op("Mul", x, b);
        string o = OnnxNetwork.Forward(g, net, xb);                                                  // (N, 2C, H, W)
        string s = g.Op("Mul", g.Op("Tanh", AutoencoderGraph.Slice(g, o, 0, c)), nb);
        string t = g.Op("Mul", AutoencoderGraph.Slice(g, o, c, 2 * c), nb);
        string y = g.Op("Add", g.Op("Add", xb, g.Op("Mul", g.Op("Sub", x, xb), g.Op("Exp", s))), t);
        return (y, g.Sum(g.ToDouble(s), 1, 2, 3));
    }

    /// <summary>Squeeze: (N, C, H, W) -> (N, 4C, H/2, W/2), y[n, 4c + 2 dy + dx, i, j] = x[n, c, 2i + dy, 2j + dx].</summary>
    private static string Squeeze(OnnxGraph g, string x, int c, int h, int w)
    {
        string r = g.Op("Reshape", x, g.Int64s(-1, c, h / 2, 2, w / 2, 2));                         // (N, C, i, dy, j, dx)
        string t = g.Node("Transpose", [r], null, OnnxGraph.Ints("perm", 0, 1, 3, 5, 2, 4));         // (N, C, dy, dx, i, j)
        return g.Op("Reshape", t, g.Int64s(-1, 4 * c, h / 2, w / 2));
    }
}

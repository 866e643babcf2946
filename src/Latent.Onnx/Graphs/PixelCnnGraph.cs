// PixelCNN (Models/Autoregressive) as ONNX nodes: the exact density of L-level images as PixelCnnDensity computes it.
// A masked convolution is an ordinary stride-1 convolution (padding K / 2) with the masked weight W . M (OnnxNetwork);
// the network runs once over the whole image, as in scoring (the raster order is in the masks, not in a loop):
//   trunk   2x - 1 -> 7 x 7 mask A -> residual blocks  y = x + conv1x1_B(relu(conv3x3_B(relu(conv1x1_B(relu(x))))))
//   head    relu -> 1 x 1 mask B -> relu -> 1 x 1 mask B: logits (N, C L, H, W) -> (N, C, L, H, W)
//   k = round((L - 1) x)                               (N, C, H, W) the levels, int64
//   nll = -sum_{c, i, j} log_softmax(logits)[k]        LogSoftmax over the L levels, GatherElements at k (nats, float)
// The graph does not check that x is on the grid k / (L - 1) (latent score refuses such an image; the graph rounds it).
using Latent.Models.Autoregressive;

namespace Latent.Onnx.Graphs;

internal static class PixelCnnGraph
{
    /// <summary>nll (N) in nats, float32, of images (N, C, H, W) under <paramref name="network"/>.</summary>
    public static string Nll(OnnxGraph g, PixelCnnNetwork network, PixelCnnOptions options, string images)
    {
        network.Eval();
        int c = options.Channels, levels = options.Levels;
        string signed = g.Op("Sub", g.Op("Mul", images, g.Weight([2f], 1)), g.Weight([1f], 1));   // (N, C, H, W) in [-1, 1]
        string h = OnnxNetwork.Forward(g, network.Input, signed);                                 // (N, 2h, H, W)
        foreach (var (_, module) in network.Blocks.Children())
        {
            var block = (PixelCnnBlock)module;
            string r = OnnxNetwork.Forward(g, block.Reduce, g.Op("Relu", h));
            r = OnnxNetwork.Forward(g, block.Spatial, g.Op("Relu", r));
            h = g.Op("Add", h, OnnxNetwork.Forward(g, block.Expand, g.Op("Relu", r)));
        }
        string head = OnnxNetwork.Forward(g, network.Head2, g.Op("Relu", OnnxNetwork.Forward(g, network.Head1, g.Op("Relu", h))));   // (N, C L, H, W)
        string logits = g.Op("Reshape", head, g.Int64s(0, c, levels, options.Height, options.Width));   // (N, C, L, H, W)
        string logP = g.Node("LogSoftmax", [logits], null, OnnxGraph.Int("axis", 2));
        string k = g.Node("Cast", [g.Op("Round", g.Op("Mul", images, g.Weight([levels - 1f], 1)))], null, OnnxGraph.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Int64));
        string picked = g.Node("GatherElements", [logP, g.Op("Unsqueeze", k, g.Int64s(2))], null, OnnxGraph.Int("axis", 2));   // (N, C, 1, H, W)
        return g.ToFloat(g.Op("Neg", g.Sum(g.ToDouble(picked), 1, 2, 3, 4)));                     // (N) float, summed in float64
    }
}

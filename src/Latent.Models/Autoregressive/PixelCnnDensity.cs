// The density of L-level images under one PixelCNN network (IDensity), in nats:
//   nll(x) = sum_{c, i, j} cross_entropy(logits[c L .. (c + 1) L, i, j], k[c, i, j]),   k = round((L - 1) x)
// The model's own density and its background network (IBackgroundDensity, Ren et al. 2019) are two of these.
using Latent.Tensors;

namespace Latent.Models.Autoregressive;

internal sealed class PixelCnnDensity(PixelCnnNetwork network, ImageShape shape, int levels) : IDensity
{
    public PixelCnnNetwork Network { get; } = network;

    /// <summary>-log p(x | pixels before) for every pixel: (N, C, H, W) -> (N, C, H, W), nats (with gradient).</summary>
    public Tensor PixelNll(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] k = PixelCnn.LevelsOf(x, shape, levels);
        int n = x.Dim(0), c = shape.Channels;
        Tensor logits = Network.Forward(x).Reshape(n * c, levels, shape.Height, shape.Width);   // (N C, L, H, W)
        return Tensor.ChannelCrossEntropy(logits, k).Reshape(n, c, shape.Height, shape.Width);
    }

    /// <summary>-log p(x) per image, nats: (N, C, H, W) -> (N).</summary>
    public Tensor NegativeLogLikelihood(Tensor x)
    {
        Tensor nll = PixelNll(x);
        return nll.Reshape(nll.Dim(0), shape.Dim).Sum(1);
    }
}

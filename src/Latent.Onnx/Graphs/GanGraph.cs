// The GAN family's discriminator score as an ONNX graph (GanModel, InfoganModel: CriticNll):
//   discriminator = -log D(x) = softplus(-logit),  logit = head(trunk(2x - 1))   (the networks see images in [-1, 1])
// The trunk's convolutions, batch norm and LeakyReLU, and the spectral normalisation of the SN-GAN variant (its eval
// weight W / sigma), go over as OnnxNetwork translates them. The other GAN scores are not exported: their codes come
// from a latent search (an optimisation per image), or, for BiGAN, from the joint discriminator (not written).
using Latent.Models.Gans;

namespace Latent.Onnx.Graphs;

internal static class GanGraph
{
    public static ExportedValues Discriminator(OnnxGraph g, GanDiscriminator discriminator, string images, string score)
    {
        if (score != "discriminator") throw new ArgumentException($"the GAN graph has no score '{score}'; it computes the discriminator score.");
        discriminator.Eval();
        string signed = g.Op("Sub", g.Op("Mul", images, g.Weight([2f], 1)), g.Weight([1f], 1));   // (N, C, H, W) in [-1, 1]
        string logit = OnnxNetwork.Forward(g, discriminator.Head, OnnxNetwork.Forward(g, discriminator.Trunk.Net, signed));   // (N, 1)
        string nll = g.Op("Softplus", g.Op("Neg", logit));
        return new ExportedValues(g.ToDouble(g.Op("Reshape", nll, g.Int64s(-1))), null, 0, null);
    }
}

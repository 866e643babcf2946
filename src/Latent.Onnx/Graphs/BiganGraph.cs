// BiGAN (Models/Gans/BiganModel) as ONNX nodes, as Scores/GenerativeScores computes its scores. The networks see
// x' = 2x - 1; E is the encoder's trunk and head, G the generator, D the joint discriminator (JointDiscriminator):
//   z = E(x') (N, Z),  o = G(z) (N, C, H, W) in [-1, 1],  reconstruction = o / 2 + 1 / 2
//   recon           ||x - reconstruction||^2                              (float64 sum)
//   latent-nll      0.5 ||z||^2 + (Z/2) ln 2 pi
//   latent-nll-fit  sum_j 0.5 ((z_j - m_j)^2 / v_j + ln v_j + ln 2 pi)     (m, v) the training codes' statistics
//   combined        latent-nll + recon / (2 s^2) + (D/2)(ln 2 pi + ln s^2)
//   discriminator   -log D(x', z) = softplus(-logit),  logit = head(joint([trunk(x') | code(z)]))
//   feature         ||f(x', z) - f(o, z)||_1,  f = joint([trunk(.) | code(z)]) the hidden features (ALAD)
// Spectral normalisation and batch norm go over as OnnxNetwork translates them. Not expressible: jacobian and
// density-x (singular values of G's Jacobian, as for the autoencoders).
using Latent.Models.Gans;

namespace Latent.Onnx.Graphs;

internal static class BiganGraph
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    public static bool CanExport(string score) => score is "recon" or "latent-nll" or "latent-nll-fit" or "combined" or "discriminator" or "feature";

    public static ExportedValues Build(OnnxGraph g, BiganModel model, string images, string score)
    {
        model.Eval();
        int z = model.Latent, d = model.Shape.Dim;
        string signed = g.Op("Sub", g.Op("Mul", images, g.Weight([2f], 1)), g.Weight([1f], 1));   // (N, C, H, W) in [-1, 1]
        string code = OnnxNetwork.Forward(g, model.EncoderHead, OnnxNetwork.Forward(g, model.EncoderTrunk.Net, signed));   // (N, Z)
        string output = OnnxNetwork.Forward(g, model.Generator.Net, code);                        // (N, C, H, W) in [-1, 1]
        string mean = g.Op("Add", g.Op("Mul", output, g.Weight([0.5f], 1)), g.Weight([0.5f], 1));
        JointDiscriminator disc = model.Discriminator;
        string codePath = OnnxNetwork.Forward(g, disc.CodePath, code);                             // (N, J/2)
        string Hidden(string x) => OnnxNetwork.Forward(g, disc.Joint, g.Node("Concat", [OnnxNetwork.Forward(g, disc.Trunk.Net, x), codePath], null, OnnxGraph.Int("axis", 1)));
        string Recon() => g.SumOfSquares(g.Op("Sub", images, mean), 1, 2, 3);
        string LatentNll()
        {
            string zd = g.ToDouble(code);
            return g.Op("Add", g.Op("Mul", g.Sum(g.Op("Mul", zd, zd), 1), g.Double(0.5)), g.Double(0.5 * z * Log2Pi));
        }
        string value;
        switch (score)
        {
            case "recon": value = Recon(); break;
            case "latent-nll": value = LatentNll(); break;
            case "latent-nll-fit": value = AutoencoderGraph.LatentNllFit(g, model.CodeMean.Data, model.CodeVar.Data, code); break;
            case "combined":
                double s2 = model.NoiseVar.Data[0];
                value = g.Op("Add", g.Op("Add", LatentNll(), g.Op("Div", Recon(), g.Double(2 * s2))), g.Double(0.5 * d * (Log2Pi + Math.Log(s2))));
                break;
            case "discriminator":
                string logit = OnnxNetwork.Forward(g, disc.Head, Hidden(signed));                  // (N, 1)
                value = g.ToDouble(g.Op("Reshape", g.Op("Softplus", g.Op("Neg", logit)), g.Int64s(-1)));
                break;
            case "feature":
                value = g.Sum(g.ToDouble(g.Op("Abs", g.Op("Sub", Hidden(signed), Hidden(output)))), 1);
                break;
            default: throw new ArgumentException($"the bigan graph has no score '{score}'.");
        }
        return new ExportedValues(value, code, z, mean);
    }
}

// The autoencoder family (AE, DAE, VAE, AAE, WAE; dense and conv networks) as one ONNX graph, the same arithmetic as
// Scores/GenerativeScores (see there for the formulas), in eval mode:
//   h = E(x) (N, Z) or (N, 2Z) = [mu | logVar] for the VAE;  z = h or mu;  o = G(z) (N, C, H, W);
//   reconstruction = mean(o) = sigmoid(o) (Bernoulli) or o (Gaussian)
//   recon           ||x - mean(o)||^2                                   (sum in float64, as the C# code)
//   recon-bce       sum_pixels BCEWithLogits(o, x) = relu(o) - o x + softplus(-|o|)
//   latent-nll      0.5 ||z||^2 + (Z/2) ln 2 pi
//   latent-nll-fit  sum_j 0.5 ((z_j - m_j)^2 / v_j + ln v_j + ln 2 pi), (m, v) the training codes' statistics
//   combined        latent-nll + recon / (2 s^2) + (D/2) (ln 2 pi + ln s^2)
//   elbo, iwae-K    the VAE's fixed draws eps (S, Z) as a constant: z_s = mu + sigma eps_s decoded as one batch of S N
//                   codes (VariationalGraph)
// Not expressible: jacobian and density-x (the singular values of the decoder's Jacobian: ONNX has neither forward-mode
// derivatives nor an eigendecomposition).
using Latent.Models;
using Latent.Models.Autoencoders;

namespace Latent.Onnx.Graphs;

internal static class AutoencoderGraph
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    /// <summary>The scores of an autoencoder that the graph can compute.</summary>
    public static bool CanExport(string score) => score is "recon" or "recon-bce" or "latent-nll" or "latent-nll-fit" or "combined" or "elbo"
        || score.StartsWith("iwae-", StringComparison.Ordinal);

    public static ExportedValues Build(OnnxGraph g, AutoencoderModel model, string images, string score)
    {
        model.Eval();
        int z = model.Latent, d = model.Shape.Dim;
        string h = OnnxNetwork.Forward(g, model.Encoder.Net, images);                              // (N, Z) or (N, 2Z)
        string? logVar = null;
        string code = h;
        if (model is Vae)
        {
            code = Slice(g, h, 0, z);                                                            // mu (N, Z)
            logVar = Slice(g, h, z, 2 * z);                                                      // (N, Z)
        }
        string output = OnnxNetwork.Forward(g, model.Decoder.Net, code);                           // (N, C, H, W)
        string mean = model.Likelihood == DecoderLikelihood.Bernoulli ? g.Op("Sigmoid", output) : output;
        string Recon() => g.SumOfSquares(g.Op("Sub", images, mean), 1, 2, 3);
        string LatentNll()
        {
            string zd = g.ToDouble(code);
            return g.Op("Add", g.Op("Mul", g.Sum(g.Op("Mul", zd, zd), 1), g.Double(0.5)), g.Double(0.5 * z * Log2Pi));
        }
        string value;
        if (score == "recon") value = Recon();
        else if (score == "recon-bce") value = ReconstructionNll(g, model, output, images, 1, 2, 3);
        else if (score == "latent-nll") value = LatentNll();
        else if (score == "latent-nll-fit") value = LatentNllFit(g, model.CodeMean.Data, model.CodeVar.Data, code);
        else if (score == "combined")
        {
            double s2 = model.NoiseVar.Data[0];
            value = g.Op("Add", g.Op("Add", LatentNll(), g.Op("Div", Recon(), g.Double(2 * s2))), g.Double(0.5 * d * (Log2Pi + Math.Log(s2))));
        }
        else if (model is Vae vae && (score == "elbo" || score.StartsWith("iwae-", StringComparison.Ordinal)))
            value = VariationalGraph.Score(g, vae, images, code, logVar!, score);
        else throw new ArgumentException($"the {model.Options.ModelName} graph has no score '{score}'.");
        return new ExportedValues(value, code, z, mean);
    }

    /// <summary>-log p(x | z) per image (float64), summed over <paramref name="axes"/>, of decoder outputs o against x
    /// (shapes broadcast): Bernoulli BCE with logits, or the Gaussian decoder with its fitted ln sigma^2.</summary>
    public static string ReconstructionNll(OnnxGraph g, AutoencoderModel model, string output, string x, params long[] axes)
    {
        if (model.Likelihood == DecoderLikelihood.Bernoulli)
        {
            // max(o, 0) - o x + ln(1 + e^-|o|), per pixel in float32 as Kernels/Losses.BceWithLogitsForward
            string bce = g.Op("Add", g.Op("Sub", g.Op("Relu", output), g.Op("Mul", output, x)), g.Op("Softplus", g.Op("Neg", g.Op("Abs", output))));
            return g.Sum(g.ToDouble(bce), axes);
        }
        double lv = model.DecoderLogVar!.Data[0];
        int d = model.Shape.Dim;
        string sq = g.SumOfSquares(g.Op("Sub", x, output), axes);
        return g.Op("Mul", g.Op("Add", g.Op("Mul", sq, g.Double(Math.Exp(-lv))), g.Double(d * (lv + Log2Pi))), g.Double(0.5));
    }

    /// <summary>-log N(z; m, diag v) per code (N, float64), m and v the training codes' statistics (Z each).</summary>
    public static string LatentNllFit(OnnxGraph g, ReadOnlySpan<float> codeMean, ReadOnlySpan<float> codeVar, string code)
    {
        int z = codeMean.Length;
        var m = new double[z];
        var v = new double[z];
        double constant = 0;
        for (int j = 0; j < z; j++)
        {
            m[j] = codeMean[j];
            v[j] = codeVar[j];
            constant += 0.5 * (Math.Log(v[j]) + Log2Pi);
        }
        string dz = g.Op("Sub", g.ToDouble(code), g.Double(m, z));
        return g.Op("Add", g.Sum(g.Op("Div", g.Op("Mul", dz, dz), g.Double([.. v.Select(x => 2 * x)], z)), 1), g.Double(constant));
    }

    /// <summary>Columns [from, to) of a (N, W) value.</summary>
    public static string Slice(OnnxGraph g, string x, long from, long to) => g.Op("Slice", x, g.Int64s(from), g.Int64s(to), g.Int64s(1));
}

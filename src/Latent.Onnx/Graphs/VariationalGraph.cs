// The VAE's variational scores as ONNX nodes, as GenerativeScores.VariationalScores computes them: the fixed draws
// eps (Q, Z), Q = max(S, K), from Rng(GenerativeScores.ElboSeed) are a constant (Q, 1, Z), so every image gets the same
// draws and a score never depends on the batch. With sigma = exp(logVar / 2) (float32, as the C# code):
//   z_q = mu + sigma eps_q                               (Q, N, Z), decoded as one batch of Q N codes
//   rec_q = -log p(x | z_q)                              (Q, N)
//   elbo = (1/S) sum_{q < S} rec_q + KL,  KL = 0.5 sum_j (mu_j^2 + e^logVar_j - 1 - logVar_j)
//   log w_q = -rec_q + log N(z_q; 0, I) - log N(z_q; mu, sigma^2)
//           = -rec_q - 0.5 sum_j (z_qj^2 + ln 2 pi) + 0.5 sum_j (eps_qj^2 + ln 2 pi) + 0.5 sum_j logVar_j
//   iwae-K = -(m + ln (1/K) sum_{q < K} e^(log w_q - m)),  m = max_q log w_q
// The decoder runs on Q N codes at once: feed the graph batches small enough for Q times the activations.
using Latent.Models.Autoencoders;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Onnx.Graphs;

internal static class VariationalGraph
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    public static string Score(OnnxGraph g, Vae vae, string images, string mu, string logVar, string score)
    {
        int z = vae.Latent, s = vae.ElboSamples, k = vae.IwaeSamples;
        bool elbo = score == GenerativeScores.Elbo.Name;
        if (!elbo && score != $"iwae-{k}") throw new ArgumentException($"the vae has no score '{score}'; its variational scores are elbo{(k > 0 ? $" and iwae-{k}" : "")}.");
        int draws = Math.Max(s, k), q = elbo ? s : k;
        var eps = new float[checked(draws * z)];
        new Rng(GenerativeScores.ElboSeed).Normal(eps);                                          // the C# scorer's draws
        var shape = vae.Shape;
        string e = g.Weight(eps.AsSpan(0, q * z), q, 1, z);                                     // (Q, 1, Z)
        string sigma = g.Op("Exp", g.Op("Mul", logVar, g.Weight([0.5f], 1)));                  // (N, Z)
        string zq = g.Op("Add", g.Op("Unsqueeze", mu, g.Int64s(0)), g.Op("Mul", g.Op("Unsqueeze", sigma, g.Int64s(0)), e));   // (Q, N, Z)
        string flat = g.Op("Reshape", zq, g.Int64s(-1, z));                                     // (Q N, Z)
        string decoded = OnnxNetwork.Forward(g, vae.Decoder.Net, flat);                             // (Q N, C, H, W)
        string output = g.Op("Reshape", decoded, g.Int64s(q, -1, shape.Channels, shape.Height, shape.Width));   // (Q, N, C, H, W)
        string x = g.Op("Unsqueeze", images, g.Int64s(0));                                      // (1, N, C, H, W)
        string rec = AutoencoderGraph.ReconstructionNll(g, vae, output, x, 2, 3, 4);           // (Q, N) float64
        string lv = g.ToDouble(logVar);
        if (elbo)
        {
            string md = g.ToDouble(mu);
            string klTerms = g.Op("Sub", g.Op("Sub", g.Op("Add", g.Op("Mul", md, md), g.Op("Exp", lv)), g.Double(1)), lv);
            string kl = g.Op("Mul", g.Sum(klTerms, 1), g.Double(0.5));                           // (N)
            return g.Op("Add", g.Op("Div", g.Sum(rec, 0), g.Double(s)), kl);
        }
        var logQConst = new double[k];                                                          // 0.5 sum_j (eps_qj^2 + ln 2 pi)
        for (int d = 0; d < k; d++)
            for (int j = 0; j < z; j++) logQConst[d] += 0.5 * ((double)eps[d * z + j] * eps[d * z + j] + Log2Pi);
        string zd = g.ToDouble(zq);
        string logP = g.Op("Neg", g.Op("Mul", g.Op("Add", g.Sum(g.Op("Mul", zd, zd), 2), g.Double(z * Log2Pi)), g.Double(0.5)));   // (K, N)
        string halfLogVar = g.Op("Mul", g.Sum(lv, 1), g.Double(0.5));                          // (N)
        string logW = g.Op("Add", g.Op("Add", g.Op("Sub", logP, rec), g.Double(logQConst, k, 1)), halfLogVar);   // (K, N)
        string m = g.MaxKeep(logW, 0);                                                          // (1, N)
        string mean = g.Op("Div", g.Sum(g.Op("Exp", g.Op("Sub", logW, m)), 0), g.Double(k));  // (N)
        return g.Op("Neg", g.Op("Add", g.Op("Squeeze", m, g.Int64s(0)), g.Op("Log", mean)));
    }
}

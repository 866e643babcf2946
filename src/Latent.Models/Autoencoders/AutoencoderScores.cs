// The novelty scores of the autoencoder family (all higher = more novel, in nats unless said otherwise), for a
// sample x with deterministic code z = E(x) (the posterior mean for the VAE), decoder mean x^ = E[x | z]:
//   recon           ||x - x^||^2                                          squared pixel error, summed over pixels
//   recon-bce       -log p(x | z), Bernoulli decoder                       nats
//   latent-nll      -log N(z; 0, I) = 0.5 ||z||^2 + (Z/2) ln 2 pi          nats
//   latent-nll-fit  -log N(z; m, diag v), (m, v) fitted to the training codes
//   combined        latent-nll + ||x - x^||^2 / (2 s^2) + (D/2) ln 2 pi s^2, x = G(z) + e, e ~ N(0, s^2 I), s^2 fitted
//   jacobian        sum_i ln sigma_i(J), J = dx^/dz (D, Z) at z, exact by forward mode (Networks/ForwardJacobian)
//   density-x       latent-nll + jacobian = -ln [ p(z) / prod_i sigma_i(J) ], the density pushed into image space
//                   (the seed study's "product of singular values"; GPND, Pidhorskyi et al. 2018)
//   elbo (VAE)      mean over S fixed draws eps_s of -log p(x | mu + sigma eps_s), + KL(q(z | x) || N(0, I))
//   iwae-K (VAE)    -ln (1/K) sum_k p(x | z_k) p(z_k) / q(z_k | x), z_k = mu + sigma eps_k (Burda et al. 2016)
// The eps draws are one fixed (S, Z) matrix from a fixed seed shared by every sample, so a sample's score never
// depends on the batch it is in or on its position.
using Latent.Models.Linalg;
using Latent.Models.Networks;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

public sealed class AutoencoderScores : IClassModel, IReconstructor
{
    /// <summary>Seed of the fixed eps draws of the elbo and iwae scores.</summary>
    public const ulong ElboSeed = 123;

    private const int Batch = 128;
    /// <summary>Rows of the tangent batch (samples x Z) of one Jacobian pass: bounds its memory.</summary>
    private const int JacobianRows = 640;

    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private readonly HashSet<string> computed;
    private readonly float[] eps;
    private readonly int draws;

    /// <summary>Scores <paramref name="model"/>; <paramref name="only"/> limits the work to some scores (null: all);
    /// <paramref name="name"/> names it in results (null: the model's command-line name).</summary>
    public AutoencoderScores(AutoencoderModel model, IReadOnlyCollection<string>? only = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Name = name ?? model.Options.Name;
        var all = Available(model.Options);
        if (only is not null)
            foreach (string s in only)
                if (!all.Any(a => a.Name == s))
                    throw new ArgumentException($"model '{model.Options.Name}' has no score '{s}'; its scores are {string.Join(", ", all.Select(a => a.Name))}.");
        Scores = only is null ? all : all.Where(a => only.Contains(a.Name)).ToArray();
        computed = Scores.Select(s => s.Name).ToHashSet();
        draws = Math.Max(model.Options.ElboSamples, model.Options.IwaeSamples);
        eps = new float[draws * model.Latent];
        new Rng(ElboSeed).Normal(eps);
    }

    public AutoencoderModel Model { get; }
    public string Name { get; }
    public int? Latent => Model.Latent;
    public IReadOnlyList<ScoreInfo> Scores { get; }

    public static readonly ScoreInfo Recon = new("recon", "||x - E[x|z]||^2 at the code z = E(x) (posterior mean)", "squared pixel error, summed over pixels in [0, 1]");
    public static readonly ScoreInfo ReconBce = new("recon-bce", "-log p(x | z) = sum_pixels BCE(G(z), x), Bernoulli decoder, z = E(x)", "nats");
    public static readonly ScoreInfo LatentNll = new("latent-nll", "-log N(z; 0, I) = 0.5 ||z||^2 + (Z/2) ln 2 pi", "nats");
    public static readonly ScoreInfo LatentNllFit = new("latent-nll-fit", "-log N(z; m, diag v), m and v fitted to the training codes", "nats");
    public static readonly ScoreInfo Combined = new("combined", "latent-nll + ||x - G(z)||^2 / (2 s^2) + (D/2) ln 2 pi s^2, s^2 fitted on the training class", "nats");
    public static readonly ScoreInfo Jacobian = new("jacobian", "sum_i ln sigma_i(J), J = dE[x|z]/dz at z = E(x) (exact, forward mode)", "nats (log volume)");
    public static readonly ScoreInfo DensityX = new("density-x", "latent-nll + jacobian = -ln [p(z) / prod_i sigma_i(J)]", "nats");
    public static readonly ScoreInfo Elbo = new("elbo", "mean over S fixed eps of -log p(x | mu + sigma eps) + KL(q(z|x) || N(0, I))", "nats");

    /// <summary>The scores a model with these options computes, in report order.</summary>
    public static IReadOnlyList<ScoreInfo> Available(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<ScoreInfo> { Recon };
        if (options.Likelihood == DecoderLikelihood.Bernoulli) list.Add(ReconBce);
        list.AddRange([LatentNll, LatentNllFit, Combined, Jacobian, DensityX]);
        if (options.Kind == AutoencoderKind.Vae)
        {
            list.Add(Elbo);
            if (options.IwaeSamples > 0)
                list.Add(new ScoreInfo($"iwae-{options.IwaeSamples}", $"-ln (1/K) sum_k p(x|z_k) p(z_k) / q(z_k|x), K = {options.IwaeSamples} fixed eps", "nats"));
        }
        return list;
    }

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        Check(x);
        var r = Scores.ToDictionary(s => s.Name, _ => new double[x.Count]);
        Model.Eval();
        using var _ = GradMode.Disable();
        for (int start = 0; start < x.Count; start += Batch)
        {
            int n = Math.Min(Batch, x.Count - start);
            Tensor xb = Batch4(x, start, n);
            ScoreBatch(xb, start, r);
        }
        return r;
    }

    public float[] Encode(Samples x) => Map(x, xb => Model.Encode(xb));

    public float[] Reconstruct(Samples x) => Map(x, xb => Model.Forward(xb));

    private void ScoreBatch(Tensor xb, int start, Dictionary<string, double[]> r)
    {
        int n = xb.Dim(0), z = Model.Latent, d = xb.RowLength;
        Tensor code = Model.Encode(xb);
        Tensor output = Model.Decode(code);
        Tensor mean = Model.Mean(output);
        double s2 = Model.NoiseVar.Data[0];
        double[]? bce = computed.Contains("recon-bce") ? Model.ReconstructionNll(output, xb).ToArray().Select(v => (double)v).ToArray() : null;
        double[]? logVolume = computed.Contains("jacobian") || computed.Contains("density-x") ? LogVolume(code) : null;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> xi = xb.Data.Slice(i * d, d), mi = mean.Data.Slice(i * d, d), zi = code.Data.Slice(i * z, z);
            double se = 0, zz = 0, fit = 0;
            for (int p = 0; p < d; p++) se += (double)(xi[p] - mi[p]) * (xi[p] - mi[p]);
            for (int j = 0; j < z; j++)
            {
                zz += (double)zi[j] * zi[j];
                double v = Model.CodeVar.Data[j], dz = zi[j] - Model.CodeMean.Data[j];
                fit += 0.5 * (dz * dz / v + Math.Log(v) + Log2Pi);
            }
            double latentNll = 0.5 * zz + 0.5 * z * Log2Pi;
            Set(r, "recon", start + i, se);
            if (bce is not null) Set(r, "recon-bce", start + i, bce[i]);
            Set(r, "latent-nll", start + i, latentNll);
            Set(r, "latent-nll-fit", start + i, fit);
            Set(r, "combined", start + i, latentNll + se / (2 * s2) + 0.5 * d * (Log2Pi + Math.Log(s2)));
            if (logVolume is not null)
            {
                Set(r, "jacobian", start + i, logVolume[i]);
                Set(r, "density-x", start + i, latentNll + logVolume[i]);
            }
        }
        if (Model is Vae vae && (computed.Contains("elbo") || Scores.Any(s => s.Name.StartsWith("iwae-", StringComparison.Ordinal))))
            VariationalScores(vae, xb, start, r);
    }

    /// <summary>sum_i ln sigma_i(J) per sample = 0.5 ln det(J^T J), from the exact J (forward mode).</summary>
    private double[] LogVolume(Tensor code)
    {
        int n = code.Dim(0), z = code.Dim(1);
        var result = new double[n];
        int chunk = Math.Max(1, JacobianRows / z);
        bool sigmoid = Model.Options.Likelihood == DecoderLikelihood.Bernoulli;
        var gram = new double[z * z];
        for (int s0 = 0; s0 < n; s0 += chunk)
        {
            int m = Math.Min(chunk, n - s0);
            (Tensor jt, _) = ForwardJacobian.Compute(Model.Decoder.Net, code.SliceRows(s0, m), sigmoid);   // (m Z, 1, H, W)
            int d = jt.RowLength;
            ReadOnlySpan<float> t = jt.Data;
            for (int i = 0; i < m; i++)
            {
                for (int a = 0; a < z; a++)
                    for (int b = 0; b <= a; b++)
                    {
                        double dot = 0;
                        ReadOnlySpan<float> ra = t.Slice((i * z + a) * d, d), rb = t.Slice((i * z + b) * d, d);
                        for (int p = 0; p < d; p++) dot += (double)ra[p] * rb[p];
                        gram[a * z + b] = gram[b * z + a] = dot;
                    }
                result[s0 + i] = HalfLogDet(gram, z);
            }
        }
        return result;
    }

    /// <summary>0.5 ln det G = sum_i ln sigma_i for a Gram matrix G = J^T J; eigenvalues below 1e-30 count as 1e-30.</summary>
    public static double HalfLogDet(double[] gram, int z)
    {
        var eig = SymmetricEigen.Leading((double[])gram.Clone(), z, 0);
        double s = 0;
        foreach (double l in eig.Values) s += 0.5 * Math.Log(Math.Max(l, 1e-30));
        return s;
    }

    private void VariationalScores(Vae vae, Tensor xb, int start, Dictionary<string, double[]> r)
    {
        int n = xb.Dim(0), z = Model.Latent;
        (Tensor mu, Tensor logVar) = vae.EncodeGaussian(xb);
        Tensor sigma = (logVar * 0.5f).Exp();
        var kl = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++)
            {
                double m = mu.Data[i * z + j], lv = logVar.Data[i * z + j];
                kl[i] += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
            }
        int s = Model.Options.ElboSamples, k = Model.Options.IwaeSamples;
        var nll = new double[draws, n];
        var logW = new double[draws, n];
        for (int q = 0; q < draws; q++)
        {
            Tensor e = Tensor.FromSpan(eps.AsSpan(q * z, z), z);                   // (Z) row, broadcast over the batch
            Tensor zq = mu + sigma * e;
            Tensor rec = Model.ReconstructionNll(Model.Decode(zq), xb);           // (N)
            for (int i = 0; i < n; i++)
            {
                double logP = 0, logQ = 0;
                for (int j = 0; j < z; j++)
                {
                    double zv = zq.Data[i * z + j], ev = eps[q * z + j];
                    logP -= 0.5 * (zv * zv + Log2Pi);
                    logQ -= 0.5 * (ev * ev + Log2Pi) + 0.5 * logVar.Data[i * z + j];
                }
                nll[q, i] = rec.Data[i];
                logW[q, i] = -rec.Data[i] + logP - logQ;
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (computed.Contains("elbo"))
            {
                double m = 0;
                for (int q = 0; q < s; q++) m += nll[q, i];
                r["elbo"][start + i] = m / s + kl[i];
            }
            if (k > 0 && computed.Contains($"iwae-{k}"))
            {
                double max = double.NegativeInfinity, acc = 0;
                for (int q = 0; q < k; q++) max = Math.Max(max, logW[q, i]);
                for (int q = 0; q < k; q++) acc += Math.Exp(logW[q, i] - max);
                r[$"iwae-{k}"][start + i] = -(max + Math.Log(acc / k));
            }
        }
    }

    private static void Set(Dictionary<string, double[]> r, string name, int i, double v)
    {
        if (r.TryGetValue(name, out double[]? a)) a[i] = v;
    }

    private void Check(Samples x)
    {
        var net = Model.Options.Network;
        if (x.Dim != net.Pixels)
            throw new ArgumentException($"the {Name} model takes {net.Height}x{net.Width} = {net.Pixels}-pixel images; got {x.Dim} pixels per image.");
        x.EnsureFinite("images to score");
    }

    private Tensor Batch4(Samples x, int start, int n)
    {
        var net = Model.Options.Network;
        return Tensor.FromSpan(x.X.AsSpan(start * x.Dim, n * x.Dim), n, 1, net.Height, net.Width);   // (N, 1, H, W)
    }

    private float[] Map(Samples x, Func<Tensor, Tensor> f)
    {
        Check(x);
        Model.Eval();
        using var _ = GradMode.Disable();
        var parts = new List<float>();
        for (int start = 0; start < x.Count; start += Batch)
            parts.AddRange(f(Batch4(x, start, Math.Min(Batch, x.Count - start))).ToArray());
        return parts.ToArray();
    }
}

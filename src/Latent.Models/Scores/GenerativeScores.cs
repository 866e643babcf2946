// The novelty scores of a generative model, provided by what the model can do (its capabilities), not by its kind;
// all higher = more novel, in nats unless said otherwise. For a sample x with deterministic code z = E(x) (the
// posterior mean for the VAE) and decoder mean x^ = E[x | z]:
//   IEncoder + IGenerator:
//     recon           ||x - x^||^2                                          squared pixel error, summed over pixels
//     recon-bce       -log p(x | z), Bernoulli decoder                       nats
//     jacobian        sum_i ln sigma_i(J), J = dx^/dz (D, Z) at z, exact by forward mode (Networks/ForwardJacobian)
//     density-x       latent-nll + jacobian = -ln [ p(z) / prod_i sigma_i(J) ], the density pushed into image space
//                     (the seed study's "product of singular values"; GPND, Pidhorskyi et al. 2018)
//   IEncoder:
//     latent-nll      -log N(z; 0, I) = 0.5 ||z||^2 + (Z/2) ln 2 pi          nats (ILatentPrior: its -log p(z))
//   IEncoder + IClassStatistics:
//     latent-nll-fit  -log N(z; m, diag v), (m, v) fitted to the training codes
//   IEncoder + IGenerator + IClassStatistics:
//     combined        latent-nll + ||x - x^||^2 / (2 s^2) + (D/2) ln 2 pi s^2, x = G(z) + e, e ~ N(0, s^2 I), s^2 fitted
//   IVariationalEncoder + IGenerator:
//     elbo            mean over S fixed draws eps_s of -log p(x | mu + sigma eps_s), + KL(q(z | x) || N(0, I))
//     iwae-K          -ln (1/K) sum_k p(x | z_k) p(z_k) / q(z_k | x), z_k = mu + sigma eps_k (Burda et al. 2016)
//   IDensity (DensityScores, bits per dimension):
//     nll             -log2 P(x) / D of the 8-bit image, exact
//     likelihood-ratio, typicality, complexity: its corrections (with IBackgroundDensity, ITypicalDensity)
//   ICritic:
//     discriminator   -log D(x) (BiGAN: the joint D(x, E(x)))               nats
//   IFeatureDistance:
//     feature         ALAD's distance in the discriminator's hidden features
//   a latent search over a generator with a discriminator's features (ILatentSearchable.FeatureNetwork; gan, infogan):
//     feature         ||f(x) - f(x^)||_1 in D's last hidden layer at the code of recon (AnoGAN's discrimination residual,
//                     Schlegl et al. 2017; with an f-AnoGAN encoder and no search steps, f-AnoGAN's feature residual at G(E(x)))
//   ITransformationClassifier:
//     geom            -sum_t log p(t | T_t(x)), GEOM's simplified score (Golan and El-Yaniv 2018)   nats
// A generator without an encoder gets its codes from a latent search (LatentSearch, AnoGAN), which stands in for E
// in every score above (recon, latent-nll, combined, ...), unless the generator switched its search off.
// The eps draws are one fixed (S, Z) matrix from a fixed seed shared by every sample, so a sample's score never
// depends on the batch it is in or on its position; they are drawn only when a variational score is asked for.
// Memory is bounded by the batch, not by the input: samples are scored 128 at a time, and the two costly inner loops
// recycle their arrays, each Jacobian chunk (up to 640 tangent rows) in a step of one BufferPool and each of the S
// variational draws in a step of another, so at most one chunk's or one draw's activations are alive at a time.
using Latent.Models.Linalg;
using Latent.Models.Networks;
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>The novelty scores of a generative model, provided by what the model can do (its capabilities), not by its kind; all higher = more novel, in nats unless said otherwise.</summary>
public sealed class GenerativeScores : IClassModel, IReconstructor
{
    /// <summary>Seed of the fixed eps draws of the elbo and iwae scores.</summary>
    public const ulong ElboSeed = 123;

    private const int Batch = 128;
    /// <summary>Rows of the tangent batch (samples x Z) of one Jacobian pass: bounds its memory.</summary>
    private const int JacobianRows = 640;

    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private readonly HashSet<string> computed;
    private readonly IEncoder? encoder;
    private readonly IGenerator? generator;
    private readonly IClassStatistics? statistics;
    private readonly IVariationalEncoder? variational;
    private readonly IDensity? density;
    private readonly ICritic? critic;
    private readonly IFeatureDistance? featureDistance;
    private readonly ILatentSearchable? searchedFeatures;   // the feature score at the searched code (gan, infogan)
    private readonly ITransformationClassifier? transformations;
    private float[]? eps;
    private readonly BufferPool jacobianPool = new(), drawPool = new();

    /// <summary>Scores <paramref name="model"/>; <paramref name="only"/> limits the work to some scores (null: all);
    /// <paramref name="name"/> names it in results (null: the model's command-line name).</summary>
    public GenerativeScores(GenerativeModel model, IReadOnlyCollection<string>? only = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Name = name ?? model.Options.ModelName;
        generator = model as IGenerator;
        encoder = EncoderOf(model);
        critic = model as ICritic;
        featureDistance = model as IFeatureDistance;
        searchedFeatures = HasSearchedFeatures(model, encoder) ? (ILatentSearchable)model : null;
        transformations = model as ITransformationClassifier;
        statistics = model as IClassStatistics;
        variational = model as IVariationalEncoder;
        density = model as IDensity;
        var all = Available(model);
        if (only is not null)
            foreach (string s in only)
                if (!all.Any(a => a.Name == s))
                    throw new ArgumentException($"model '{model.Options.ModelName}' has no score '{s}'{ModelRegistry.SuggestAmong(s, all.Select(a => a.Name))}; its scores are {string.Join(", ", all.Select(a => a.Name))}.");
        Scores = only is null ? all : all.Where(a => only.Contains(a.Name)).ToArray();
        computed = Scores.Select(s => s.Name).ToHashSet();
    }

    public GenerativeModel Model { get; }
    public string Name { get; }
    public int? Latent => Model.Options.LatentSize;
    public IReadOnlyList<ScoreInfo> Scores { get; }

    public static readonly ScoreInfo Recon = new("recon", "||x - E[x|z]||^2 at the code z = E(x) (posterior mean)", "squared pixel error, summed over pixels in [0, 1]");
    public static readonly ScoreInfo ReconBce = new("recon-bce", "-log p(x | z) = sum_pixels BCE(G(z), x), Bernoulli decoder, z = E(x)", "nats");
    public static readonly ScoreInfo LatentNll = new("latent-nll", "-log N(z; 0, I) = 0.5 ||z||^2 + (Z/2) ln 2 pi", "nats");
    public static readonly ScoreInfo LatentNllFit = new("latent-nll-fit", "-log N(z; m, diag v), m and v fitted to the training codes", "nats");
    public static readonly ScoreInfo Combined = new("combined", "latent-nll + ||x - G(z)||^2 / (2 s^2) + (D/2) ln 2 pi s^2, s^2 fitted on the training class", "nats");
    public static readonly ScoreInfo Jacobian = new("jacobian", "sum_i ln sigma_i(J), J = dE[x|z]/dz at z = E(x) (exact, forward mode)", "nats (log volume)");
    public static readonly ScoreInfo DensityX = new("density-x", "latent-nll + jacobian = -ln [p(z) / prod_i sigma_i(J)]", "nats");
    public static readonly ScoreInfo Elbo = new("elbo", "mean over S fixed eps of -log p(x | mu + sigma eps) + KL(q(z|x) || N(0, I))", "nats");
    public static readonly ScoreInfo Nll = DensityScores.Nll;
    public static readonly ScoreInfo Discriminator = new("discriminator", "-log D(x), the discriminator's belief that x is fake", "nats");
    public static readonly ScoreInfo Geom = new("geom", "-sum_t log p(t | T_t(x)) over the geometric transformations T_t (GEOM's simplified score)", "nats");
    public static readonly ScoreInfo Feature = new("feature", "||f(x, E(x)) - f(G(E(x)), E(x))||_1 in the discriminator's hidden features (ALAD)", "feature units");

    public static readonly ScoreInfo SearchedFeature = new("feature",
        "||f(x) - f(E[x|z])||_1 in the discriminator's last hidden layer at the code z of recon (AnoGAN's discrimination residual)", "feature units");

    /// <summary>A generator searched over (or started from an encoder) whose discriminator gives hidden features, and which
    /// has no feature distance of its own: its feature score compares x and its reconstruction in those features.</summary>
    private static bool HasSearchedFeatures(GenerativeModel model, IEncoder? encoder) =>
        model is ILatentSearchable { FeatureNetwork: not null } && model is not IFeatureDistance && encoder is not null;

    /// <summary>The recon score of a generator whose codes come from a latent search, with the search's settings.</summary>
    public static ScoreInfo SearchedRecon(LatentSearchOptions search) =>
        new("recon", $"||x - E[x|z]||^2 at the code z found by latent search ({search})", "squared pixel error, summed over pixels in [0, 1]");

    /// <summary>The scores a model with these capabilities computes, in report order.</summary>
    public static IReadOnlyList<ScoreInfo> Available(GenerativeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var gen = model as IGenerator;
        var encoder = EncoderOf(model);
        var search = encoder as LatentSearch;
        bool enc = encoder is not null, stats = model is IClassStatistics;
        var list = new List<ScoreInfo>();
        if (model is ICritic) list.Add(Discriminator);
        if (model is IFeatureDistance) list.Add(Feature);
        else if (HasSearchedFeatures(model, encoder)) list.Add(SearchedFeature);
        if (model is ITransformationClassifier) list.Add(Geom);
        if (enc && gen is not null)
        {
            list.Add(search is null ? Recon : SearchedRecon(search.Options));
            if (gen.Likelihood == DecoderLikelihood.Bernoulli) list.Add(ReconBce);
        }
        if (enc) list.Add(LatentNll);
        if (enc && stats) list.Add(LatentNllFit);
        if (enc && gen is not null && stats) list.Add(Combined);
        if (enc && gen is not null) list.AddRange([Jacobian, DensityX]);
        if (model is IVariationalEncoder v && gen is not null)
        {
            list.Add(Elbo);
            if (v.IwaeSamples > 0) list.Add(Iwae(v.IwaeSamples));
        }
        list.AddRange(DensityScores.Available(model));
        return list;
    }

    /// <summary>The model's own encoder, else a latent search over its generator (null: neither).</summary>
    private static IEncoder? EncoderOf(GenerativeModel model) =>
        model as IEncoder ?? (model is IGenerator g ? LatentSearch.For(g) : null);

    /// <summary>The iwae-K score's description.</summary>
    public static ScoreInfo Iwae(int k) =>
        new($"iwae-{k}", $"-ln (1/K) sum_k p(x|z_k) p(z_k) / q(z_k|x), K = {k} fixed eps", "nats");

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

    /// <summary>Whether the model has codes and a decoder (Encode, Reconstruct): false for a generator without an
    /// encoder whose latent search is off (a gan with --search-restarts 0), and for models without codes (an
    /// autoregressive model, a flow): reports show no reconstructions for them.</summary>
    public bool CanReconstruct => encoder is not null && generator is not null;

    public float[] Encode(Samples x) => Map(x, xb => Encoder.Encode(xb));

    public float[] Reconstruct(Samples x) => Map(x, xb => Generator.Mean(Generator.Decode(Encoder.Encode(xb))));

    private IEncoder Encoder => encoder ?? throw new InvalidOperationException($"model '{Name}' cannot encode: it has no encoder.");
    private IGenerator Generator => generator ?? throw new InvalidOperationException($"model '{Name}' cannot generate: it has no decoder.");

    /// <summary>The scores that need the code z (all but the density scores, discriminator, ALAD's feature, geom).</summary>
    private IEnumerable<string> EncoderScores => Scores.Select(s => s.Name)
        .Where(s => s != Discriminator.Name && (s != Feature.Name || searchedFeatures is not null) && s != Geom.Name && !DensityScores.Available(Model).Any(a => a.Name == s));

    private void ScoreBatch(Tensor xb, int start, Dictionary<string, double[]> r)
    {
        int n = xb.Dim(0), d = xb.RowLength;
        if (density is not null) DensityScores.ScoreBatch(density, xb, start, r, computed);
        if (critic is not null && computed.Contains(Discriminator.Name))
        {
            Tensor v = critic.CriticNll(xb);
            for (int i = 0; i < n; i++) r[Discriminator.Name][start + i] = v.Data[i];
        }
        if (featureDistance is not null && computed.Contains(Feature.Name))
        {
            Tensor v = featureDistance.FeatureDistance(xb);
            for (int i = 0; i < n; i++) r[Feature.Name][start + i] = v.Data[i];
        }
        if (transformations is not null && computed.Contains(Geom.Name))
        {
            Tensor v = transformations.TransformationNll(xb);
            for (int i = 0; i < n; i++) r[Geom.Name][start + i] = v.Data[i];
        }
        if (encoder is null || !computed.Overlaps(EncoderScores)) return;
        int z = encoder.Latent;
        Tensor code = encoder.Encode(xb);
        Tensor? output = generator?.Decode(code);
        Tensor? mean = output is null ? null : generator!.Mean(output);
        double s2 = statistics?.NoiseVar.Data[0] ?? 1;
        double[]? bce = computed.Contains(ReconBce.Name) ? generator!.ReconstructionNll(output!, xb).ToArray().Select(v => (double)v).ToArray() : null;
        double[]? logVolume = computed.Contains(Jacobian.Name) || computed.Contains(DensityX.Name) ? LogVolume(code) : null;
        Tensor? features = null;                                                  // (N, F) |f(x) - f(x^)|
        if (searchedFeatures is not null && computed.Contains(SearchedFeature.Name))
            features = (searchedFeatures.Features(xb) - searchedFeatures.Features(mean!)).Abs();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> xi = xb.Data.Slice(i * d, d), zi = code.Data.Slice(i * z, z);
            double se = 0, zz = 0, fit = 0;
            if (mean is not null)
            {
                ReadOnlySpan<float> mi = mean.Data.Slice(i * d, d);
                for (int p = 0; p < d; p++) se += (double)(xi[p] - mi[p]) * (xi[p] - mi[p]);
            }
            for (int j = 0; j < z; j++)
            {
                zz += (double)zi[j] * zi[j];
                if (statistics is null) continue;
                double v = statistics.CodeVar.Data[j], dz = zi[j] - statistics.CodeMean.Data[j];
                fit += 0.5 * (dz * dz / v + Math.Log(v) + Log2Pi);
            }
            double latentNll = Model is ILatentPrior prior ? prior.PriorNll(zi) : 0.5 * zz + 0.5 * z * Log2Pi;
            Set(r, Recon.Name, start + i, se);
            if (features is not null) Set(r, SearchedFeature.Name, start + i, Sum(features.Data.Slice(i * features.RowLength, features.RowLength)));
            if (bce is not null) Set(r, ReconBce.Name, start + i, bce[i]);
            Set(r, LatentNll.Name, start + i, latentNll);
            Set(r, LatentNllFit.Name, start + i, fit);
            Set(r, Combined.Name, start + i, latentNll + se / (2 * s2) + 0.5 * d * (Log2Pi + Math.Log(s2)));
            if (logVolume is not null)
            {
                Set(r, Jacobian.Name, start + i, logVolume[i]);
                Set(r, DensityX.Name, start + i, latentNll + logVolume[i]);
            }
        }
        if (variational is not null && (computed.Contains(Elbo.Name) || Scores.Any(s => s.Name.StartsWith("iwae-", StringComparison.Ordinal))))
            VariationalScores(variational, xb, start, r);
    }

    /// <summary>sum_i ln sigma_i(J) per sample = 0.5 ln det(J^T J), from the exact J (forward mode).</summary>
    private double[] LogVolume(Tensor code)
    {
        int n = code.Dim(0), z = code.Dim(1);
        var result = new double[n];
        int chunk = Math.Max(1, JacobianRows / z);
        bool sigmoid = Generator.Likelihood == DecoderLikelihood.Bernoulli;
        var gram = new double[z * z];
        for (int s0 = 0; s0 < n; s0 += chunk)
        {
            int m = Math.Min(chunk, n - s0);
            using BufferPool.StepScope step = jacobianPool.Step();
            (Tensor jt, _) = ForwardJacobian.Compute(Generator.DecoderNetwork, code.SliceRows(s0, m), sigmoid);   // (m Z, C, H, W)
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

    /// <summary>
    /// 0.5 ln det G = sum_i ln sigma_i for a Gram matrix G = J^T J; eigenvalues below 1e-30 count as 1e-30. NaN when
    /// G has a non-finite entry (a generator whose Jacobian overflowed): the score is then NaN, like any other score
    /// of such a model, rather than an error from the eigensolver.
    /// </summary>
    public static double HalfLogDet(double[] gram, int z)
    {
        ArgumentNullException.ThrowIfNull(gram);
        if (!SymmetricEigen.IsFinite(gram)) return double.NaN;
        var eig = SymmetricEigen.Leading((double[])gram.Clone(), z, 0);
        double s = 0;
        foreach (double l in eig.Values) s += 0.5 * Math.Log(Math.Max(l, 1e-30));
        return s;
    }

    private void VariationalScores(IVariationalEncoder vae, Tensor xb, int start, Dictionary<string, double[]> r)
    {
        int n = xb.Dim(0), z = vae.Latent;
        int s = vae.ElboSamples, k = vae.IwaeSamples, draws = Math.Max(s, k);
        eps ??= FixedDraws(draws, z);
        (Tensor mu, Tensor logVar) = vae.EncodeGaussian(xb);
        Tensor sigma = (logVar * 0.5f).Exp();
        var kl = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++)
            {
                double m = mu.Data[i * z + j], lv = logVar.Data[i * z + j];
                kl[i] += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
            }
        var nll = new double[draws, n];
        var logW = new double[draws, n];
        for (int q = 0; q < draws; q++)
        {
            using BufferPool.StepScope step = drawPool.Step();
            Tensor e = Tensor.FromSpan(eps.AsSpan(q * z, z), z);                   // (Z) row, broadcast over the batch
            Tensor zq = mu + sigma * e;
            Tensor rec = Generator.ReconstructionNll(Generator.Decode(zq), xb);   // (N)
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
            if (computed.Contains(Elbo.Name))
            {
                double m = 0;
                for (int q = 0; q < s; q++) m += nll[q, i];
                r[Elbo.Name][start + i] = m / s + kl[i];
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

    /// <summary>The fixed (S, Z) standard normal draws shared by every sample.</summary>
    private static float[] FixedDraws(int draws, int z)
    {
        var e = new float[checked(draws * z)];
        new Rng(ElboSeed).Normal(e);
        return e;
    }

    /// <summary>The sum of a row in double.</summary>
    private static double Sum(ReadOnlySpan<float> row)
    {
        double s = 0;
        foreach (float v in row) s += v;
        return s;
    }

    private static void Set(Dictionary<string, double[]> r, string name, int i, double v)
    {
        if (r.TryGetValue(name, out double[]? a)) a[i] = v;
    }

    private void Check(Samples x)
    {
        var shape = Model.Shape;
        if (x.Dim != shape.Dim)
            throw new ArgumentException($"the {Name} model takes {shape} images ({shape.Dim} values); got {x.Dim} values per image.");
        x.EnsureFinite("images to score");
    }

    private Tensor Batch4(Samples x, int start, int n)
    {
        var shape = Model.Shape;
        return Tensor.FromSpan(x.X.AsSpan(start * x.Dim, n * x.Dim), n, shape.Channels, shape.Height, shape.Width);   // (N, C, H, W)
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

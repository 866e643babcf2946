// Explains a class model's scores sample by sample (Explanation), from what the model can do:
//   every model        the score and its additive terms (ScoreTerms), the conformal p-value with calibration scores
//   reconstructors     the reconstruction x^ = G(E(x)) and the residual map |x - x^| (ResidualMap): PCA, the
//                      autoencoders, and the GANs through latent search (GenerativeScores' encoder)
//   encoders           the k nearest reference images in latent space (CodeIndex over the reference codes) and the
//                      latent dimensions furthest from the class's code distribution: |z_j - m_j| / sd_j with (m, sd)
//                      the reference codes' mean and standard deviation, else the model's fitted class statistics
//                      (IClassStatistics; PCA: mean 0, variance lambda_j)
// The reference images are the class's training images, given at explanation time rather than stored in the
// checkpoint: their codes are one encoder pass (about a second for an MNIST class with the VAE), always match the
// weights, and the neighbours' images are needed to show them anyway. They also give each term's typical value (the
// median over TypicalSamples evenly spaced reference images), from which the summary says which term carries the
// sample's excess score: share_t = max(0, term_t - typical_t) / sum_u max(0, term_u - typical_u).
// Built once (the reference is encoded and scored once), it explains any number of batches.
using System.Globalization;
using Latent.Models.Classical;
using Latent.Models.Conformal;
using Latent.Models.Invariance;
using Latent.Models.Scores;

namespace Latent.Models.Explanations;

/// <summary>Explains a class model's scores sample by sample (Explanation), from what the model can do.</summary>
public sealed class Explainer
{
    private readonly IClassModel scorer;
    private readonly IReconstructor? reconstructor;
    private readonly ConformalScores? calibration;
    private readonly CodeIndex? index;
    private readonly double[]? codeMean, codeSd;
    private readonly Dictionary<string, double>? typical;
    private readonly ExplainerOptions options;

    public Explainer(IClassModel model, ExplainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.options = options ??= new ExplainerOptions();
        if (options.Neighbours < 1 || options.Neighbours > ExplainerOptions.MaxNeighbours)
            throw new ArgumentException($"--neighbours {options.Neighbours}: list 1 to {ExplainerOptions.MaxNeighbours} nearest training images.");
        if (options.Dimensions < 1) throw new ArgumentException($"asked for {options.Dimensions} latent dimensions; give at least 1.");
        Name = model.Name;
        var names = model.Scores.Select(s => s.Name).ToList();
        Score = options.Score ?? DefaultScore(names);
        if (!names.Contains(Score))
            throw new ArgumentException($"model '{model.Name}' has no score '{Score}'; its scores are {string.Join(", ", names)}.");
        var needed = ScoreTerms.Sources(Score).Append(Score).ToArray();
        var invariance = (model as InvariantModel)?.Invariance;
        scorer = InvariantModel.Unwrap(model) is GenerativeScores g
            ? InvariantModel.Wrap(new GenerativeScores(g.Model, needed, g.Name), invariance)   // only the score and its terms: no Jacobian unless asked
            : model;
        reconstructor = InvariantModel.Reconstructor(scorer);
        if (options.RequireResidual && reconstructor is null)
            throw new ArgumentException($"model '{model.Name}' cannot reconstruct an image, so it has no residual map |x - G(E(x))|; " +
                $"models that can: pca, {ModelRegistry.Names(e => e.IsTrained)} (a generator without an encoder through latent search). " +
                "Drop --out for the score, p-value and summary alone.");
        if (options.Alpha is double a) ConformalScores.CheckLevel("--alpha", a);
        if (options.Calibration is { } cal)
        {
            if (cal.Has(Score)) calibration = cal[Score];
            else if (options.Alpha is not null)
                throw new ArgumentException($"the model's calibration has no scores for '{Score}', so it has no p-value; calibrated scores: {string.Join(", ", cal.ScoreNames)}.");
        }
        else if (options.Alpha is not null)
            throw new ArgumentException($"model '{model.Name}' has no calibration scores, so it cannot give p-values (--alpha); " +
                $"retrain it holding out calibration images: latent train ... --calibration {CalibrationSplit.DefaultFraction.ToString(CultureInfo.InvariantCulture)}.");
        Alpha = options.Alpha ?? ExplainerOptions.DefaultAlpha;

        if (options.Reference is Samples reference)
        {
            if (reference.Count < 1) throw new ArgumentException("the reference (training) images are empty; give the class's training images.");
            if (reconstructor is not null)
            {
                float[] codes = reconstructor.Encode(Seen(reference));
                int z = codes.Length / reference.Count;
                index = new CodeIndex(codes, reference.Count, z);
                (codeMean, codeSd) = Moments(codes, reference.Count, z);
            }
            typical = Typical(reference);
        }
        if (codeMean is null) (codeMean, codeSd) = FittedMoments(InvariantModel.Unwrap(model));
    }

    /// <summary>The model's name and the score explained.</summary>
    public string Name { get; }
    public string Score { get; }

    /// <summary>Novel iff p &lt;= Alpha.</summary>
    public double Alpha { get; }

    /// <summary>Whether explanations carry a reconstruction and residual map.</summary>
    public bool CanReconstruct => reconstructor is not null;

    /// <summary>Whether explanations carry p-values.</summary>
    public bool HasPValues => calibration is not null;

    /// <summary>The reference images' count (0: none given).</summary>
    public int ReferenceCount => options.Reference?.Count ?? 0;

    /// <summary>The score explained when none is asked: combined, else ppca, else the first.</summary>
    public static string DefaultScore(IReadOnlyList<string> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) throw new ArgumentException("the model has no scores to explain.");
        return scores.Contains("combined") ? "combined" : scores.Contains("ppca") ? "ppca" : scores[0];
    }

    /// <summary>Images as the model sees them (preprocessed as its training images were, when they were): its
    /// reconstructions, codes and residual maps are of these.</summary>
    public Samples Seen(Samples x) => InvariantModel.Seen(scorer, x);

    /// <summary>One explanation per sample of <paramref name="x"/>, in order (scores of x; reconstructions, residuals
    /// and codes of <see cref="Seen"/>(x)).</summary>
    public IReadOnlyList<Explanation> Explain(Samples x)
    {
        var scores = scorer.Score(x);
        var seen = Seen(x);
        float[]? recon = reconstructor?.Reconstruct(seen);
        float[]? codes = reconstructor?.Encode(seen);
        int z = codes is null || x.Count == 0 ? 0 : codes.Length / x.Count;
        var list = new Explanation[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            double value = scores[Score][i];
            var terms = ScoreTerms.Of(Score, scores, i, typical);
            double? p = calibration?.PValue(value);
            float[]? ri = recon?.AsSpan(i * x.Dim, x.Dim).ToArray();
            ResidualMap? residual = ri is null ? null : ResidualMap.Of(seen.Row(i), ri, x.Shape);
            ReadOnlySpan<float> code = codes is null ? default : codes.AsSpan(i * z, z);
            var neighbours = index is not null && z == index.Dim ? index.Nearest(code, options.Neighbours) : [];
            var deviations = codes is not null && codeMean is not null && codeMean.Length == z ? Deviations(code) : [];
            (string? lead, double share) = Leading(terms);
            var e = new Explanation
            {
                Index = i,
                Score = Score,
                Value = value,
                Terms = terms,
                Typical = typical is not null && typical.TryGetValue(Score, out double t) ? t : double.NaN,
                PValue = p,
                Novel = p is double pv ? pv <= Alpha : null,
                Reconstruction = ri,
                Residual = residual,
                Neighbours = neighbours,
                Deviations = deviations,
                LeadingTerm = lead,
                LeadingShare = share,
                Summary = "",
            };
            list[i] = e with { Summary = ExplanationSummary.Of(e) };
        }
        return list;
    }

    /// <summary>The term carrying the largest share of the positive excesses over the typical terms.</summary>
    private static (string? Term, double Share) Leading(IReadOnlyList<ScoreTerm> terms)
    {
        double sum = 0;
        foreach (var t in terms) if (t.Excess > 0) sum += t.Excess;
        if (!(sum > 0)) return (null, double.NaN);
        var top = terms.Where(t => t.Excess > 0).MaxBy(t => t.Excess)!;
        return (top.Name, top.Excess / sum);
    }

    private LatentDeviation[] Deviations(ReadOnlySpan<float> code)
    {
        var all = new LatentDeviation[code.Length];
        for (int j = 0; j < code.Length; j++) all[j] = new LatentDeviation(j, code[j], codeMean![j], codeSd![j]);
        return all.OrderByDescending(d => Math.Abs(d.Z)).ThenBy(d => d.Dimension).Take(options.Dimensions).ToArray();
    }

    /// <summary>The median of the score and of each of its terms over evenly spaced reference images.</summary>
    private Dictionary<string, double> Typical(Samples reference)
    {
        int n = Math.Min(Math.Max(1, options.TypicalSamples), reference.Count);
        var picked = reference.Select(Enumerable.Range(0, n).Select(i => (int)((long)i * reference.Count / n)).ToArray());
        var s = scorer.Score(picked);
        var values = new Dictionary<string, List<double>> { [Score] = [] };
        for (int i = 0; i < n; i++)
        {
            values[Score].Add(s[Score][i]);
            foreach (var (name, v) in ScoreTerms.Values(Score, s, i))
            {
                if (!values.TryGetValue(name, out var l)) values[name] = l = [];
                if (name != Score) l.Add(v);
            }
        }
        return values.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => Median(kv.Value));
    }

    private static double Median(List<double> v)
    {
        var a = v.Where(x => !double.IsNaN(x)).Order().ToArray();
        if (a.Length == 0) return double.NaN;
        return a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]);
    }

    /// <summary>Per dimension: mean and standard deviation (floored at 1e-6) of (N, Z) codes.</summary>
    private static (double[] Mean, double[] Sd) Moments(float[] codes, int n, int z)
    {
        var mean = new double[z];
        var sd = new double[z];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++) mean[j] += codes[i * z + j];
        for (int j = 0; j < z; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++)
            {
                double d = codes[i * z + j] - mean[j];
                sd[j] += d * d;
            }
        for (int j = 0; j < z; j++) sd[j] = Math.Max(1e-6, Math.Sqrt(sd[j] / n));
        return (mean, sd);
    }

    /// <summary>The class's code distribution as the model fitted it: IClassStatistics (m, v), PCA (0, lambda); else none.</summary>
    private static (double[]? Mean, double[]? Sd) FittedMoments(IClassModel model)
    {
        if (model is GenerativeScores { Model: IClassStatistics st })
            return (st.CodeMean.ToArray().Select(v => (double)v).ToArray(), st.CodeVar.ToArray().Select(v => Math.Sqrt(Math.Max(1e-12, v))).ToArray());
        if (model is PcaGaussian pca && pca.Latent is int k)
            return (new double[k], pca.Basis.Eigenvalues.Take(k).Select(v => Math.Sqrt(Math.Max(1e-12, v))).ToArray());
        return (null, null);
    }
}

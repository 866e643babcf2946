// The scores of an exact-likelihood model (IDensity), for any kind (flows, PixelCNN), all in bits per dimension and
// higher = more novel. With nll(x) = -log P(x) of the 8-bit image in nats (EightBitImages) and D values per image:
//   nll               nll(x) / (D ln 2)
//   likelihood-ratio  [nll(x) - nll_B(x)] / (D ln 2): minus Ren et al. 2019's log-likelihood ratio, with nll_B the
//                     background model trained on mutated images of the class (IBackgroundDensity)
//   typicality        |nll(x) - mean training nll| / (D ln 2)  (Nalisnick et al. 2019; ITypicalDensity)
//   complexity        [nll(x) / ln 2 - L(x)] / D: Serra et al. 2020's S(x) = -log2 P(x) - L(x), L the PNG-compressed
//                     length in bits (ImageComplexity)
// A model lists likelihood-ratio only when it has a background model, typicality only when it keeps the mean (NaN:
// a checkpoint written before the model kept one).
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>The scores of an exact-likelihood model (IDensity), for any kind (flows, PixelCNN), all in bits per dimension and higher = more novel.</summary>
public static class DensityScores
{
    public static readonly ScoreInfo Nll = new("nll", "-log2 P(x) / D, the model's exact density of the 8-bit image", "bits/dim");
    public static readonly ScoreInfo LikelihoodRatio = new("likelihood-ratio", "[log P_B(x) - log P(x)] / (D ln 2), P_B trained on mutated images (Ren et al. 2019)", "bits/dim");
    public static readonly ScoreInfo Typicality = new("typicality", "|-log P(x) - mean training -log P| / (D ln 2) (Nalisnick et al. 2019)", "bits/dim");
    public static readonly ScoreInfo Complexity = new("complexity", "[-log2 P(x) - L(x)] / D, L = PNG-compressed length in bits (Serra et al. 2020)", "bits/dim");

    /// <summary>The density scores a model with these capabilities gives, in report order.</summary>
    public static IReadOnlyList<ScoreInfo> Available(object model)
    {
        if (model is not IDensity) return [];
        var list = new List<ScoreInfo> { Nll };
        if (model is IBackgroundDensity { Background: not null }) list.Add(LikelihoodRatio);
        if (model is ITypicalDensity t && !double.IsNaN(t.MeanTrainingNll)) list.Add(Typicality);
        list.Add(Complexity);
        return list;
    }

    /// <summary>Writes the scores in <paramref name="computed"/> of the batch x (N, C, H, W) at rows start.. of r.</summary>
    public static void ScoreBatch(IDensity density, Tensor x, int start, IReadOnlyDictionary<string, double[]> r, IReadOnlySet<string> computed)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(computed);
        if (!computed.Overlaps([Nll.Name, LikelihoodRatio.Name, Typicality.Name, Complexity.Name])) return;
        int n = x.Dim(0), d = x.RowLength;
        double perBit = d * Math.Log(2);
        Tensor nll = density.NegativeLogLikelihood(x);                        // (N) nats
        Tensor? back = computed.Contains(LikelihoodRatio.Name) && density is IBackgroundDensity { Background: { } b } ? b.NegativeLogLikelihood(x) : null;
        double mean = density is ITypicalDensity t ? t.MeanTrainingNll : double.NaN;
        byte[]? levels = computed.Contains(Complexity.Name) ? EightBitImages.Levels(x.Data, d) : null;
        int width = x.Rank == 4 ? x.Dim(3) : d;
        for (int i = 0; i < n; i++)
        {
            double v = nll.Data[i];
            Set(r, Nll.Name, start + i, v / perBit);
            if (back is not null) Set(r, LikelihoodRatio.Name, start + i, (v - back.Data[i]) / perBit);
            Set(r, Typicality.Name, start + i, Math.Abs(v - mean) / perBit);
            if (levels is not null)
                Set(r, Complexity.Name, start + i, (v / Math.Log(2) - ImageComplexity.Bits(levels.AsSpan(i * d, d), width)) / d);
        }
    }

    private static void Set(IReadOnlyDictionary<string, double[]> r, string name, int i, double v)
    {
        if (r.TryGetValue(name, out double[]? a)) a[i] = v;
    }
}

// The additive terms of a score, as its formula writes them (GenerativeScores, PcaGaussian):
//   combined   = latent-nll + reconstruction      reconstruction = ||x - x^||^2 / (2 s^2) + (D/2) ln 2 pi s^2
//   ppca       = latent-nll + reconstruction      reconstruction = (||x - x^||^2 / s^2 + (D - k) ln 2 pi s^2) / 2
//   density-x  = latent-nll + jacobian           jacobian = sum_i ln sigma_i(dx^/dz), the decoder's log volume
// Every other score is one term (itself). The terms come from the model's own scores (reconstruction = the score
// minus latent-nll), so they add up to the score exactly. Deliberately left out: the elbo and iwae scores, whose
// KL and reconstruction parts the scorer does not return separately.
namespace Latent.Models.Explanations;

/// <summary>One additive term of a score for a sample, with the class's typical value of it (the median over the
/// reference images; NaN without them).</summary>
public sealed record ScoreTerm(string Name, double Value, double Typical)
{
    /// <summary>How far the sample's term is above the class's typical value (NaN without a typical value).</summary>
    public double Excess => Value - Typical;

    /// <summary>What the term measures, for summaries.</summary>
    public string Meaning => ScoreTerms.Meaning(Name);
}

/// <summary>The additive terms of a score, as its formula writes them (combined, ppca and density-x split into latent-nll and the rest).</summary>
public static class ScoreTerms
{
    public const string Reconstruction = "reconstruction";

    /// <summary>The other scores a score's terms are computed from (empty: the score is one term).</summary>
    public static IReadOnlyList<string> Sources(string score) => score switch
    {
        "combined" or "ppca" => ["latent-nll"],
        "density-x" => ["latent-nll", "jacobian"],
        _ => [],
    };

    /// <summary>The terms of <paramref name="score"/> for sample <paramref name="i"/> of <paramref name="scores"/>
    /// (which holds the score and its sources), each with its typical value (NaN when <paramref name="typical"/> is null).</summary>
    public static ScoreTerm[] Of(string score, IReadOnlyDictionary<string, double[]> scores, int i, IReadOnlyDictionary<string, double>? typical = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        double T(string name) => typical is not null && typical.TryGetValue(name, out double t) ? t : double.NaN;
        var values = Values(score, scores, i);
        return values.Select(v => new ScoreTerm(v.Name, v.Value, T(v.Name))).ToArray();
    }

    /// <summary>(term name, value) of the score for sample i.</summary>
    public static (string Name, double Value)[] Values(string score, IReadOnlyDictionary<string, double[]> scores, int i)
    {
        ArgumentNullException.ThrowIfNull(scores);
        double s = scores[score][i];
        return score switch
        {
            "combined" or "ppca" => [("latent-nll", scores["latent-nll"][i]), (Reconstruction, s - scores["latent-nll"][i])],
            "density-x" => [("latent-nll", scores["latent-nll"][i]), ("jacobian", scores["jacobian"][i])],
            _ => [(score, s)],
        };
    }

    /// <summary>A phrase for what a term measures.</summary>
    public static string Meaning(string term) => term switch
    {
        Reconstruction or "recon" or "recon-bce" => "reconstruction error",
        "latent-nll" or "latent-nll-fit" => "the code's distance from the class (latent-nll)",
        "jacobian" => "the decoder's local volume (jacobian)",
        _ => term,
    };

    /// <summary>Whether a term measures reconstruction error (so its residual map says where the score comes from).</summary>
    public static bool IsReconstruction(string term) => term is Reconstruction or "recon" or "recon-bce";
}

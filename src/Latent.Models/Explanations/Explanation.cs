// Why a model scores one sample as it does (Explainer): the score and its additive terms with the class's typical
// values, the conformal p-value and decision (when the model was saved with calibration scores), the reconstruction
// and its residual map (models that reconstruct), the nearest reference (training) images in latent space, the
// latent dimensions furthest from the class's code distribution, and a one-line summary of all that.
namespace Latent.Models.Explanations;

/// <summary>A latent dimension of a sample's code: its value, the class's mean and standard deviation there, and the
/// standardised distance (code - mean) / sd.</summary>
public readonly record struct LatentDeviation(int Dimension, double Code, double Mean, double Sd)
{
    public double Z => (Code - Mean) / Sd;
}

/// <summary>Why a model scores one sample as it does: the score and its terms, the conformal p-value and decision, the residual map, the nearest reference images and the latent dimensions furthest from the class.</summary>
public sealed record Explanation
{
    /// <summary>The sample's position in the batch explained.</summary>
    public required int Index { get; init; }

    /// <summary>The score explained and its value (higher = more novel).</summary>
    public required string Score { get; init; }
    public required double Value { get; init; }

    /// <summary>The score's additive terms (one: the score itself).</summary>
    public required IReadOnlyList<ScoreTerm> Terms { get; init; }

    /// <summary>The class's typical value of the score (median over the reference images; NaN without them).</summary>
    public double Typical { get; init; } = double.NaN;

    /// <summary>The conformal p-value (null: the model has no calibration scores for this score).</summary>
    public double? PValue { get; init; }

    /// <summary>p &lt;= alpha (null without a p-value).</summary>
    public bool? Novel { get; init; }

    /// <summary>The reconstruction x^ (C, H, W) and |x - x^| (null: the model cannot reconstruct).</summary>
    public float[]? Reconstruction { get; init; }
    public ResidualMap? Residual { get; init; }

    /// <summary>The nearest reference images in latent space, nearest first (empty without reference images).</summary>
    public IReadOnlyList<Neighbour> Neighbours { get; init; } = [];

    /// <summary>The latent dimensions furthest from the class's code distribution, furthest first (empty: no codes).</summary>
    public IReadOnlyList<LatentDeviation> Deviations { get; init; } = [];

    /// <summary>The term with the largest share of the excess over the class's typical terms, and that share (NaN:
    /// no typical values, or no term above its typical value).</summary>
    public string? LeadingTerm { get; init; }
    public double LeadingShare { get; init; } = double.NaN;

    /// <summary>"novel, p = 0.003: 81 % of the excess score is reconstruction error, concentrated in the upper left; ...".</summary>
    public required string Summary { get; init; }
}

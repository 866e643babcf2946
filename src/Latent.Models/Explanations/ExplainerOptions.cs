// What an Explainer is asked: which score, the calibration for p-values, the reference (training) images for the
// nearest neighbours, the typical score terms and the class's code distribution, and how much to list.
using Latent.Models.Conformal;

namespace Latent.Models.Explanations;

/// <summary>What an Explainer is asked.</summary>
public sealed record ExplainerOptions
{
    /// <summary>The score to explain (null: combined, else ppca, else the model's first score).</summary>
    public string? Score { get; init; }

    /// <summary>Calibration scores for p-values (null: none, unless <see cref="Alpha"/> asks for them).</summary>
    public ConformalCalibration? Calibration { get; init; }

    /// <summary>Novel iff p &lt;= Alpha; giving it without calibration is an error (null: 0.05 when calibrated).</summary>
    public double? Alpha { get; init; }

    /// <summary>The class's training images (null: no neighbours, no typical terms; code statistics from the model).</summary>
    public Samples? Reference { get; init; }

    /// <summary>Nearest reference images to list.</summary>
    public int Neighbours { get; init; } = 5;

    /// <summary>Latent dimensions to list.</summary>
    public int Dimensions { get; init; } = 3;

    /// <summary>Fail when the model cannot reconstruct (a residual map is required), instead of leaving it out.</summary>
    public bool RequireResidual { get; init; }

    /// <summary>Reference images scored for the typical terms (evenly spaced): bounds the cost of costly scores.</summary>
    public int TypicalSamples { get; init; } = 512;

    /// <summary>The alpha used when calibrated and none is given.</summary>
    public const double DefaultAlpha = 0.05;

    public const int MaxNeighbours = 100;
}

// The options of the classical family, one record per kind (fitted exactly from the training class, no seed, no
// epochs): PCA's latent size k; the diagonal Gaussian's variance floor; the nearest neighbour's k and metric; and
// for each, the geometry of the samples it was fitted on (Input), so that `latent score` reads images of that size.
namespace Latent.Models.Classical;

/// <summary>Options of PCA-Gaussian / probabilistic PCA: k, the number of principal directions kept.</summary>
public sealed record PcaOptions : ModelOptions
{
    /// <summary>k, the number of principal directions kept.</summary>
    public int Latent { get; init; } = 16;

    public override string ModelName => "pca";
    public override int? LatentSize => Latent;
    public override ImageShape? InputShape => Input;

    /// <summary>The geometry of the training samples (set when fitted; null in a template).</summary>
    public ImageShape? Input { get; init; }

    public override void Validate()
    {
        if (Latent < 1 || Latent > Networks.NetworkOptions.MaxPixels) throw new ArgumentException($"PCA latent size {Latent} must be at least 1.");
    }
}

/// <summary>Options of the diagonal Gaussian: the per-pixel variance floor.</summary>
public sealed record GaussianOptions : ModelOptions
{
    /// <summary>Per-pixel variance floor (default 0.01: a standard deviation of 0.1 in pixel units 0..1).</summary>
    public double VarianceFloor { get; init; } = DiagonalGaussian.DefaultVarianceFloor;

    public override string ModelName => "gaussian";

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) =>
        [new("variance floor", VarianceFloor.ToString("G", System.Globalization.CultureInfo.InvariantCulture))];
    public override int? LatentSize => null;
    public override ImageShape? InputShape => Input;

    /// <summary>The geometry of the training samples (set when fitted; null in a template).</summary>
    public ImageShape? Input { get; init; }

    public override void Validate()
    {
        if (!(VarianceFloor > 0) || !double.IsFinite(VarianceFloor)) throw new ArgumentException($"variance floor {VarianceFloor} must be a positive number, e.g. 0.01.");
    }
}

/// <summary>Options of the nearest-neighbour model: k and the distance metric (and the transport metrics' grid, cost and regularisation).</summary>
public sealed record KnnOptions : ModelOptions
{
    /// <summary>k of the k-th nearest training example.</summary>
    public int Neighbours { get; init; } = 1;

    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Euclidean nearest candidates that the tangent, sliced-wasserstein and emd metrics re-rank (null: 50).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Rerank { get; init; }

    /// <summary>emd and sinkhorn: the images are averaged over Pool x Pool blocks first (null: emd to at most 8 x 8, sinkhorn full size).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Pool { get; init; }

    /// <summary>emd and sinkhorn: the ground cost between pixels (null: Euclidean).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public GroundCost? Cost { get; init; }

    /// <summary>sinkhorn: the entropic regularisation in units of the ground cost (null: Sinkhorn.DefaultEpsilon).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Epsilon { get; init; }

    /// <summary>emd and sinkhorn: the ground distance is capped at this many pixels of the input grid, min(d, T) (null: not capped).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Threshold { get; init; }

    /// <summary>emd: the orientation bins of the mass (OrientedMass; null: 1, position only).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Orientations { get; init; }

    /// <summary>emd with orientation bins: the ground cost in pixels of turning mass by 90 degrees (null: TransportSettings.DefaultOrientationCost).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? OrientationCost { get; init; }

    /// <summary>The novelty is the mean of the k nearest distances instead of the k-th (null: the k-th).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? MeanOfK { get; init; }

    public override string ModelName => "knn";

    /// <summary>idm: how far (pixels, each way) a pixel may move (null: DeformationDistance.DefaultWarp).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Warp { get; init; }

    /// <summary>idm: the half-width of the gradient context compared (null: DeformationDistance.DefaultContext).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Context { get; init; }

    /// <summary>The idm metric's settings these options ask for.</summary>
    public DeformationSettings Deformation => new(Warp ?? DeformationDistance.DefaultWarp, Context ?? DeformationDistance.DefaultContext);

    /// <summary>The transport metrics' settings these options ask for.</summary>
    public TransportSettings Transport => new(Pool, Cost ?? GroundCost.Euclidean, Epsilon ?? Sinkhorn.DefaultEpsilon, Threshold,
        Orientations ?? 1, OrientationCost ?? TransportSettings.DefaultOrientationCost);

    /// <summary>The metric's command-line name.</summary>
    public static string MetricName(DistanceMetric m) => m == DistanceMetric.SlicedWasserstein ? "sliced-wasserstein" : m.ToString().ToLowerInvariant();

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) =>
        [new("neighbour", $"{(MeanOfK == true ? "mean of the " : "")}k = {Neighbours.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {MetricName(Metric)}"
            + (Metric is DistanceMetric.Emd or DistanceMetric.Sinkhorn ? TransportText() : "")
            + (Metric is DistanceMetric.Idm ? $", warp {Deformation.Warp}, context {2 * Deformation.Context + 1} x {2 * Deformation.Context + 1}" : "")
            + (Metric is DistanceMetric.Euclidean or DistanceMetric.Cosine ? "" : $" (re-ranking the {Rerank ?? NearestNeighbour.DefaultRerank} Euclidean nearest)"))];

    private string TransportText()
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        string pool = Pool is int p ? $"pooled {p.ToString(ci)} x {p.ToString(ci)}" : Metric == DistanceMetric.Emd ? "pooled to 8 x 8 at most" : "full size";
        string eps = Metric == DistanceMetric.Sinkhorn ? $", epsilon {(Epsilon ?? Sinkhorn.DefaultEpsilon).ToString("G3", ci)}" : "";
        string cap = Threshold is double t ? $" capped at {t.ToString("G3", ci)} pixels" : "";
        string turn = Orientations is int b && b > 1
            ? $", {b.ToString(ci)} orientation bins, a 90-degree turn costs {(OrientationCost ?? TransportSettings.DefaultOrientationCost).ToString("G3", ci)} pixels" : "";
        return $", {pool}, {(Cost == GroundCost.Squared ? "squared" : "Euclidean")} ground cost{cap}{turn}{eps}";
    }
    public override int? LatentSize => null;
    public override ImageShape? InputShape => Input;

    /// <summary>The geometry of the training samples (set when fitted; null in a template).</summary>
    public ImageShape? Input { get; init; }

    public override void Validate()
    {
        if (Neighbours < 1) throw new ArgumentException($"neighbours {Neighbours} must be at least 1.");
        if (!Enum.IsDefined(Metric)) throw new ArgumentException($"distance metric {(int)Metric} is unknown; use euclidean, cosine, tangent, sliced-wasserstein, emd, sinkhorn or idm.");
        if (Rerank is < 1) throw new ArgumentException($"rerank {Rerank} must be at least 1.");
        if (Pool is < 1 or > 64) throw new ArgumentException($"pool {Pool} must be 1 to 64.");
        if (Cost is GroundCost c && !Enum.IsDefined(c)) throw new ArgumentException($"ground cost {(int)c} is unknown; use euclidean or squared.");
        if (Epsilon is double e && !(e > 0 && double.IsFinite(e))) throw new ArgumentException($"epsilon {e} must be a positive number, e.g. {Sinkhorn.DefaultEpsilon}.");
        if (Threshold is double t && !(t > 0 && double.IsFinite(t))) throw new ArgumentException($"ground distance threshold {t} must be a positive number of pixels, e.g. 4.");
        if (Orientations is < 1 or > TransportSettings.MaxOrientations) throw new ArgumentException($"orientation bins {Orientations} must be 1 to {TransportSettings.MaxOrientations}.");
        if (OrientationCost is double oc && !(oc >= 0 && double.IsFinite(oc))) throw new ArgumentException($"orientation cost {oc} must be a non-negative number of pixels.");
        if (Orientations > 1 && Metric != DistanceMetric.Emd) throw new ArgumentException($"orientation bins apply to the emd metric only, not {MetricName(Metric)}.");
        if (Warp is < 0 or > NearestNeighbour.MaxWarp) throw new ArgumentException($"idm warp range {Warp} must be 0 to {NearestNeighbour.MaxWarp} pixels.");
        if (Context is < 0 or > NearestNeighbour.MaxContext) throw new ArgumentException($"idm context half-width {Context} must be 0 to {NearestNeighbour.MaxContext} pixels.");
    }
}

// The classical family's options: --neighbours, --metric, --rerank, --emd-pool, --ground-cost, --ground-threshold,
// --emd-orientations, --orientation-cost, --epsilon, --idm-warp, --idm-context and --aggregate
// (knn), --var-floor (gaussian).
using System.CommandLine;
using Latent.Models;
using Latent.Models.Classical;

namespace Latent.Cli;

internal sealed class ClassicalOptionGroup : IOptionGroup
{
    public Option<int?> Neighbours { get; } = new("--neighbours") { Description = "knn: k, the novelty is the distance to the k-th nearest training image (default 1)." };
    public Option<string?> Metric { get; } = new("--metric") { Description = "knn: euclidean (default), cosine, tangent (two-sided tangent distance), sliced-wasserstein, emd (exact, on images averaged down, --emd-pool), sinkhorn (entropic transport, --epsilon) or idm (image distortion model: each pixel may move --idm-warp pixels, compared by its gradient context); the last five re-rank the --rerank Euclidean nearest." };
    public Option<int?> Rerank { get; } = new("--rerank") { Description = "knn with tangent, sliced-wasserstein or emd: how many Euclidean nearest training images to re-rank (default 50)." };
    public Option<int?> Pool { get; } = new("--emd-pool") { Description = "knn with emd or sinkhorn: average the images over F x F blocks first (emd default: to at most 8 x 8, i.e. 4 on 28 x 28; sinkhorn default 1, full size)." };
    public Option<string?> GroundCost { get; } = new("--ground-cost") { Description = "knn with emd or sinkhorn: euclidean (default; the EMD is Wasserstein-1, in pixels) or squared (squared Wasserstein-2)." };
    public Option<double?> Threshold { get; } = new("--ground-threshold") { Description = "knn with emd or sinkhorn: cap the ground distance at T pixels of the input grid, min(d, T) (Pele and Werman 2009; default: not capped): mass that would move further costs T, so a stroke that is missing counts as missing, not as far away." };
    public Option<int?> Orientations { get; } = new("--emd-orientations") { Description = $"knn with emd: spread each pixel's mass over B bins of its local stroke orientation (structure tensor; default 1: position only, up to {TransportSettings.MaxOrientations}), so the EMD pays for turning mass as well as for moving it; 4 is a good start." };
    public Option<double?> OrientationCost { get; } = new("--orientation-cost") { Description = $"knn with emd and --emd-orientations: the ground cost, in pixels, of turning mass by 90 degrees (default {TransportSettings.DefaultOrientationCost})." };
    public Option<double?> Epsilon { get; } = new("--epsilon") { Description = $"knn with sinkhorn: the entropic regularisation in units of the ground cost (default {Latent.Models.Classical.Sinkhorn.DefaultEpsilon}); smaller is closer to the exact EMD." };
    public Option<int?> Warp { get; } = new("--idm-warp") { Description = $"knn with idm: how far each pixel may move to its match, in pixels each way (default {DeformationDistance.DefaultWarp}: a 3 x 3 window; 0 to {NearestNeighbour.MaxWarp})." };
    public Option<int?> Context { get; } = new("--idm-context") { Description = $"knn with idm: the half-width of the gradient patch compared at each pixel (default {DeformationDistance.DefaultContext}: 3 x 3; 0 to {NearestNeighbour.MaxContext})." };
    public Option<string?> Aggregate { get; } = new("--aggregate") { Description = "knn: kth (default; the distance to the k-th nearest) or mean (the mean distance to the k nearest)." };
    public Option<double?> VarianceFloor { get; } = new("--var-floor") { Description = "gaussian: per-pixel variance floor (default 0.01)." };

    public IReadOnlyList<Option> Options => [Neighbours, Metric, Rerank, Pool, GroundCost, Threshold, Orientations, OrientationCost, Epsilon, Warp, Context, Aggregate, VarianceFloor];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        int? n = parse.GetValue(Neighbours);
        if (n is < 1) throw new CliException($"--neighbours {n}: k must be at least 1.");
        var metric = ParseMetric(parse.GetValue(Metric));
        int? rerank = parse.GetValue(Rerank);
        if (rerank is < 1) throw new CliException($"--rerank {rerank}: the number of candidates must be at least 1.");
        int? pool = parse.GetValue(Pool);
        if (pool is < 1 or > 64) throw new CliException($"--emd-pool {pool}: the block size must be 1 to 64 (e.g. 2 for 14 x 14 from 28 x 28).");
        var cost = CliChoice.Parse(parse.GetValue(GroundCost), "--ground-cost", "ground cost", ("euclidean", Latent.Models.Classical.GroundCost.Euclidean), ("squared", Latent.Models.Classical.GroundCost.Squared));
        double? threshold = parse.GetValue(Threshold);
        if (threshold is double th && !(th > 0 && double.IsFinite(th))) throw new CliException($"--ground-threshold {th}: the cap must be a positive number of pixels, e.g. 4.");
        int? orientations = parse.GetValue(Orientations);
        if (orientations is < 1 or > TransportSettings.MaxOrientations) throw new CliException($"--emd-orientations {orientations}: the orientation bins must be 1 to {TransportSettings.MaxOrientations} (1: position only; 4 is a good start).");
        double? turn = parse.GetValue(OrientationCost);
        if (turn is double tc && !(tc >= 0 && double.IsFinite(tc))) throw new CliException($"--orientation-cost {tc}: the cost of a 90-degree turn must be a non-negative number of pixels, e.g. {TransportSettings.DefaultOrientationCost}.");
        if (turn is not null && orientations is null or 1) throw new CliException("--orientation-cost needs --emd-orientations 2 or more: without orientation bins there is nothing to turn.");
        if (orientations > 1 && options is KnnOptions ko && (metric ?? ko.Metric) != DistanceMetric.Emd)
            throw new CliException($"--emd-orientations {orientations}: orientation bins apply to --metric emd only, not {KnnOptions.MetricName(metric ?? ko.Metric)}.");
        double? epsilon = parse.GetValue(Epsilon);
        if (epsilon is double e && !(e > 0 && double.IsFinite(e))) throw new CliException($"--epsilon {e}: the regularisation must be a positive number, e.g. {Latent.Models.Classical.Sinkhorn.DefaultEpsilon}.");
        int? warp = parse.GetValue(Warp);
        if (warp is < 0 or > NearestNeighbour.MaxWarp) throw new CliException($"--idm-warp {warp}: the warp range must be 0 to {NearestNeighbour.MaxWarp} pixels (1 is a 3 x 3 window).");
        int? context = parse.GetValue(Context);
        if (context is < 0 or > NearestNeighbour.MaxContext) throw new CliException($"--idm-context {context}: the context half-width must be 0 to {NearestNeighbour.MaxContext} pixels (1 is a 3 x 3 patch).");
        var aggregate = CliChoice.Parse(parse.GetValue(Aggregate), "--aggregate", "aggregation", ("kth", false), ("mean", true));
        double? floor = parse.GetValue(VarianceFloor);
        if (floor is not null && !(floor > 0 && double.IsFinite(floor.Value))) throw new CliException($"--var-floor {floor}: the variance floor must be a positive number, e.g. 0.01.");
        foreach (var (option, type, kind) in new (Option, Type, string)[] { (Neighbours, typeof(KnnOptions), "knn"), (Metric, typeof(KnnOptions), "knn"), (Rerank, typeof(KnnOptions), "knn"), (Pool, typeof(KnnOptions), "knn"), (GroundCost, typeof(KnnOptions), "knn"), (Threshold, typeof(KnnOptions), "knn"), (Orientations, typeof(KnnOptions), "knn"), (OrientationCost, typeof(KnnOptions), "knn"), (Epsilon, typeof(KnnOptions), "knn"), (Warp, typeof(KnnOptions), "knn"), (Context, typeof(KnnOptions), "knn"), (Aggregate, typeof(KnnOptions), "knn"), (VarianceFloor, typeof(GaussianOptions), "gaussian") })
            if (parse.Given(option) && options.GetType() != type) throw OptionGroupExtensions.NotFor(option, entry, kind);
        switch (options)
        {
            case KnnOptions k:
                return k with
                {
                    Neighbours = n ?? k.Neighbours, Metric = metric ?? k.Metric, Rerank = rerank ?? k.Rerank, Pool = pool ?? k.Pool, Cost = cost ?? k.Cost,
                    Epsilon = epsilon ?? k.Epsilon, MeanOfK = aggregate ?? k.MeanOfK, Threshold = threshold ?? k.Threshold,
                    Warp = warp ?? k.Warp, Context = context ?? k.Context, Orientations = orientations ?? k.Orientations, OrientationCost = turn ?? k.OrientationCost,
                };
            case GaussianOptions g:
                return g with { VarianceFloor = floor ?? g.VarianceFloor };
            default:
                return options;
        }
    }

    private static DistanceMetric? ParseMetric(string? text) =>
        CliChoice.Parse(text, "--metric", "metric", ("euclidean", DistanceMetric.Euclidean), ("cosine", DistanceMetric.Cosine),
            ("tangent", DistanceMetric.Tangent), ("sliced-wasserstein", DistanceMetric.SlicedWasserstein), ("emd", DistanceMetric.Emd), ("sinkhorn", DistanceMetric.Sinkhorn), ("idm", DistanceMetric.Idm));
}

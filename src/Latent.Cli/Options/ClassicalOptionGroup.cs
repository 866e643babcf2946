// The classical family's options: --neighbours, --metric and --rerank (knn), --var-floor (gaussian).
using System.CommandLine;
using Latent.Models;
using Latent.Models.Classical;

namespace Latent.Cli;

internal sealed class ClassicalOptionGroup : IOptionGroup
{
    public Option<int?> Neighbours { get; } = new("--neighbours") { Description = "knn: k, the novelty is the distance to the k-th nearest training image (default 1)." };
    public Option<string?> Metric { get; } = new("--metric") { Description = "knn: euclidean (default), cosine, tangent (two-sided tangent distance), sliced-wasserstein, or emd (exact, on images averaged down to 8 x 8); the last three re-rank the --rerank Euclidean nearest." };
    public Option<int?> Rerank { get; } = new("--rerank") { Description = "knn with tangent, sliced-wasserstein or emd: how many Euclidean nearest training images to re-rank (default 50)." };
    public Option<double?> VarianceFloor { get; } = new("--var-floor") { Description = "gaussian: per-pixel variance floor (default 0.01)." };

    public IReadOnlyList<Option> Options => [Neighbours, Metric, Rerank, VarianceFloor];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        int? n = parse.GetValue(Neighbours);
        if (n is < 1) throw new CliException($"--neighbours {n}: k must be at least 1.");
        var metric = ParseMetric(parse.GetValue(Metric));
        int? rerank = parse.GetValue(Rerank);
        if (rerank is < 1) throw new CliException($"--rerank {rerank}: the number of candidates must be at least 1.");
        double? floor = parse.GetValue(VarianceFloor);
        if (floor is not null && !(floor > 0 && double.IsFinite(floor.Value))) throw new CliException($"--var-floor {floor}: the variance floor must be a positive number, e.g. 0.01.");
        foreach (var (option, type, kind) in new (Option, Type, string)[] { (Neighbours, typeof(KnnOptions), "knn"), (Metric, typeof(KnnOptions), "knn"), (Rerank, typeof(KnnOptions), "knn"), (VarianceFloor, typeof(GaussianOptions), "gaussian") })
            if (parse.Given(option) && options.GetType() != type) throw OptionGroupExtensions.NotFor(option, entry, kind);
        switch (options)
        {
            case KnnOptions k:
                return k with { Neighbours = n ?? k.Neighbours, Metric = metric ?? k.Metric, Rerank = rerank ?? k.Rerank };
            case GaussianOptions g:
                return g with { VarianceFloor = floor ?? g.VarianceFloor };
            default:
                return options;
        }
    }

    private static DistanceMetric? ParseMetric(string? text) =>
        CliChoice.Parse(text, "--metric", "metric", ("euclidean", DistanceMetric.Euclidean), ("cosine", DistanceMetric.Cosine),
            ("tangent", DistanceMetric.Tangent), ("sliced-wasserstein", DistanceMetric.SlicedWasserstein), ("emd", DistanceMetric.Emd));
}

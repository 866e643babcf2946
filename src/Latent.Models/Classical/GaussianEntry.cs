// Registry entry of the diagonal Gaussian (naive Bayes): checkpoint = the class mean and the floored per-pixel
// variances in double precision (metadata).
using Latent.Nn.Checkpoints;

namespace Latent.Models.Classical;

/// <summary>Registry entry of the diagonal Gaussian (naive Bayes): checkpoint = the class mean and the floored per-pixel variances in double precision (metadata).</summary>
public sealed class GaussianEntry : ClassicalEntry
{
    public override string Name => "gaussian";
    public override string Description => "diagonal Gaussian (naive Bayes) with a variance floor";
    public override Type OptionsType => typeof(GaussianOptions);
    public override bool HasLatent => false;
    private protected override IReadOnlyList<ScoreInfo> KindScores { get; } = [DiagonalGaussian.Nll];

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape) => Expect<GaussianOptions>(template);

    public override ModelOptions Defaults(int? latent, ImageShape shape) => new GaussianOptions();

    protected override IReadOnlyList<IClassModel> FitCore(Samples train, IReadOnlyList<FitItem> items, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(context);
        CheckScores(context.Scores);
        return items.Select(i => (IClassModel)new DiagonalGaussian(train, Expect<GaussianOptions>(i.Options).VarianceFloor)).ToArray();
    }

    public override IReadOnlyDictionary<string, string> StateMetadata(IClassModel model)
    {
        var m = Only<DiagonalGaussian>(model, Name);
        return new Dictionary<string, string> { [StateKey("mean")] = WriteDoubles(m.Mean), [StateKey("variance")] = WriteDoubles(m.Variance) };
    }

    public override ModelOptions OptionsOf(IClassModel model) => new GaussianOptions { VarianceFloor = Only<DiagonalGaussian>(model, Name).VarianceFloor, Input = Only<DiagonalGaussian>(model, Name).Shape };

    protected override IClassModel LoadCore(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores)
    {
        CheckScores(scores);
        var o = Expect<GaussianOptions>(options);
        try { return new DiagonalGaussian(ReadDoubles(file, "mean", path), ReadDoubles(file, "variance", path), o.VarianceFloor, Shape(o.Input, path)); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }
}

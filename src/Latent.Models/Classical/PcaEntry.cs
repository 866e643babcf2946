// Registry entry of PCA: fitted once per training class for the largest latent size asked, and the model of every
// smaller size shares that basis (the leading directions of one eigendecomposition). Checkpoint: the k components
// (tensor "components", (k, D)), the class mean and all D eigenvalues in double precision (metadata).
using Latent.Nn;
using Latent.Nn.Checkpoints;

namespace Latent.Models.Classical;

/// <summary>Registry entry of PCA: fitted once per training class for the largest latent size asked, and the model of every smaller size shares that basis (the leading directions of one eigendecomposition).</summary>
public sealed class PcaEntry : ClassicalEntry
{
    public override string Name => "pca";
    public override string Description => "PCA-Gaussian / probabilistic PCA with k latents (exact eigendecomposition)";
    public override Type OptionsType => typeof(PcaOptions);
    public override bool HasLatent => true;
    private protected override IReadOnlyList<ScoreInfo> KindScores { get; } = [PcaGaussian.LatentNll, PcaGaussian.Recon, PcaGaussian.Ppca];

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape) => Expect<PcaOptions>(template) with { Latent = latent ?? Expect<PcaOptions>(template).Latent };

    public override ModelOptions Defaults(int? latent, ImageShape shape) => new PcaOptions { Latent = latent ?? 16 };

    protected override IReadOnlyList<IClassModel> FitCore(Samples train, IReadOnlyList<FitItem> items, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(context);
        CheckScores(context.Scores);
        var ks = items.Select(i => Expect<PcaOptions>(i.Options).Latent).ToArray();
        var basis = PcaBasis.Fit(train, ks.Max());
        return ks.Select(k => (IClassModel)new PcaGaussian(basis, k)).ToArray();
    }

    public override IReadOnlyList<NamedTensor> CheckpointTensors(IClassModel model)
    {
        var m = Only<PcaGaussian>(model, Name);
        int k = m.Latent!.Value, d = m.Basis.Dim;
        return [new NamedTensor("components", AsTensor(m.Basis.Components.AsSpan(0, k * d).ToArray(), k, d))];
    }

    public override IReadOnlyDictionary<string, string> StateMetadata(IClassModel model)
    {
        var m = Only<PcaGaussian>(model, Name);
        return new Dictionary<string, string>
        {
            [StateKey("mean")] = WriteDoubles(m.Basis.Mean),
            [StateKey("eigenvalues")] = WriteDoubles(m.Basis.Eigenvalues),
            [StateKey("variance_floor")] = WriteDoubles([m.Basis.VarianceFloor]),
        };
    }

    public override ModelOptions OptionsOf(IClassModel model) => new PcaOptions { Latent = Only<PcaGaussian>(model, Name).Latent!.Value, Input = Only<PcaGaussian>(model, Name).Basis.Shape };

    protected override IClassModel LoadCore(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores)
    {
        ArgumentNullException.ThrowIfNull(file);
        CheckScores(scores);
        var o = Expect<PcaOptions>(options);
        int k = o.Latent;
        var components = ReadTensor(file, "components", path);
        double[] floor = ReadDoubles(file, "variance_floor", path);
        if (floor.Length != 1) throw new InvalidDataException($"'{path}': the PCA variance floor is not one number.");
        try
        {
            var basis = PcaBasis.FromState(ReadDoubles(file, "mean", path), ReadDoubles(file, "eigenvalues", path), components.Data.ToArray(), k, floor[0], Shape(o.Input, path));
            return new PcaGaussian(basis, k);
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }
}

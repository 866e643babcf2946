// Registry entry of the nearest-neighbour model: checkpoint = the training rows as the model keeps them (tensor
// "train", (M, D); unit rows for the cosine metric).
using Latent.Nn;
using Latent.Nn.Checkpoints;

namespace Latent.Models.Classical;

/// <summary>Registry entry of the nearest-neighbour model: checkpoint = the training rows as the model keeps them (tensor "train", (M, D); unit rows for the cosine metric).</summary>
public sealed class KnnEntry : ClassicalEntry
{
    public override string Name => "knn";
    public override string Description => "nearest-neighbour one-class: distance to the k-th nearest training example";
    public override Type OptionsType => typeof(KnnOptions);
    public override bool HasLatent => false;
    private protected override IReadOnlyList<ScoreInfo> KindScores { get; } = [NearestNeighbour.Distance];

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape) => Expect<KnnOptions>(template);

    public override ModelOptions Defaults(int? latent, ImageShape shape) => new KnnOptions();

    protected override IReadOnlyList<IClassModel> FitCore(Samples train, IReadOnlyList<FitItem> items, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(context);
        CheckScores(context.Scores);
        return items.Select(i =>
        {
            var o = Expect<KnnOptions>(i.Options);
            return (IClassModel)new NearestNeighbour(train, o.Neighbours, o.Metric, o.Rerank ?? NearestNeighbour.DefaultRerank, o.Transport, o.MeanOfK == true, o.Deformation);
        }).ToArray();
    }

    public override IReadOnlyList<NamedTensor> CheckpointTensors(IClassModel model)
    {
        var m = Only<NearestNeighbour>(model, Name);
        return [new NamedTensor("train", AsTensor(m.Stored, m.Count, m.Dim))];
    }

    public override ModelOptions OptionsOf(IClassModel model)
    {
        var m = Only<NearestNeighbour>(model, Name);
        return new KnnOptions { Neighbours = m.Neighbours, Metric = m.Metric, Rerank = m.Rerank == NearestNeighbour.DefaultRerank ? null : m.Rerank, Input = m.Shape,
            Pool = m.Transport.Pool, Cost = m.Transport.Cost == GroundCost.Euclidean ? null : m.Transport.Cost,
            Epsilon = m.Transport.Epsilon == Sinkhorn.DefaultEpsilon ? null : m.Transport.Epsilon, MeanOfK = m.MeanOfK ? true : null,
            Threshold = m.Transport.Threshold,
            Orientations = m.Transport.Orientations == 1 ? null : m.Transport.Orientations,
            OrientationCost = m.Transport.Orientations == 1 || m.Transport.OrientationCost == TransportSettings.DefaultOrientationCost ? null : m.Transport.OrientationCost,
            Warp = m.Deformation.Warp == DeformationDistance.DefaultWarp ? null : m.Deformation.Warp,
            Context = m.Deformation.Context == DeformationDistance.DefaultContext ? null : m.Deformation.Context };
    }

    protected override IClassModel LoadCore(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores)
    {
        CheckScores(scores);
        var o = Expect<KnnOptions>(options);
        var t = ReadTensor(file, "train", path);
        if (t.Rank != 2) throw new InvalidDataException($"'{path}': tensor 'train' must be (M, D), got {Tensors.Tensor.ShapeString(t.Shape)}.");
        try { return new NearestNeighbour(t.Data.ToArray(), t.Dim(0), t.Dim(1), o.Neighbours, o.Metric, Shape(o.Input, path), o.Rerank ?? NearestNeighbour.DefaultRerank, o.Transport, o.MeanOfK == true, o.Deformation); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }
}

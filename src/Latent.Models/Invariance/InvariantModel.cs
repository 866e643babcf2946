// A class model with image invariances (Invariance.cs): every image it scores is first preprocessed as its training
// images were, and with test-time augmentation each score is the minimum over the transformed copies. Built by
// ModelEntry.Fit and ModelEntry.Load when the options ask for an invariance; ModelFile saves the inner model with
// the invariance in its options.
namespace Latent.Models.Invariance;

/// <summary>A class model with image invariances (Invariance.cs).</summary>
public sealed class InvariantModel : IClassModel
{
    public InvariantModel(IClassModel inner, ImageInvariance invariance)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(invariance);
        invariance.Validate();
        Inner = inner;
        Invariance = invariance;
    }

    public IClassModel Inner { get; }
    public ImageInvariance Invariance { get; }
    public string Name => Inner.Name;
    public int? Latent => Inner.Latent;
    public IReadOnlyList<ScoreInfo> Scores => Inner.Scores;

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        x = Preprocessing.Apply(x, Invariance.Preprocess);
        var maps = TestTimeTransforms.Maps(Invariance.Tta, x.Shape.Height, x.Shape.Width);
        var best = Inner.Score(x).ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        foreach (var m in maps.Skip(1))
            foreach (var (name, s) in Inner.Score(TestTimeTransforms.Apply(x, m)))
            {
                var b = best[name];
                for (int i = 0; i < b.Length; i++)
                    if (s[i] < b[i] || double.IsNaN(b[i])) b[i] = s[i];
            }
        return best;
    }

    /// <summary>The model inside any invariance wrapper.</summary>
    public static IClassModel Unwrap(IClassModel model) => model is InvariantModel w ? w.Inner : model;

    /// <summary>The model wrapped when <paramref name="invariance"/> asks for anything.</summary>
    public static IClassModel Wrap(IClassModel model, ImageInvariance? invariance) =>
        invariance is null || invariance.IsNone ? model : new InvariantModel(model, invariance);
}

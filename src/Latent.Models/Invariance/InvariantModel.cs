// A class model with image invariances (Invariance.cs): every image it scores is first preprocessed as its training
// images were, and with test-time augmentation each score is the minimum over the transformed copies. Whatever shows
// what the model does with an image (reconstructions, codes, residual maps, latent maps) takes the image as the model
// sees it (Seen) and the inner model's encoder and decoder (Reconstructor). Built by
// ModelEntry.Fit and ModelEntry.Load when the options ask for an invariance; ModelFile saves the inner model with
// the invariance in its options.
using Latent.Models.Scores;

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

    /// <summary>The encoder and decoder of <paramref name="model"/> (inside any invariance wrapper), or null when it
    /// cannot reconstruct (no decoder, or a generator whose latent search is off). It takes images as the model sees
    /// them: pass <see cref="Seen"/>(model, x), not x.</summary>
    public static IReconstructor? Reconstructor(IClassModel model) =>
        Unwrap(model) is IReconstructor r and not GenerativeScores { CanReconstruct: false } ? r : null;

    /// <summary>Images as <paramref name="model"/> sees them: preprocessed as its training images were (deskewed,
    /// centred, normalised), or <paramref name="x"/> itself when it has no preprocessing. Its reconstructions and codes
    /// are of these images, and its residuals are against them.</summary>
    public static Samples Seen(IClassModel model, Samples x) =>
        model is InvariantModel w ? Preprocessing.Apply(x, w.Invariance.Preprocess) : x;

    /// <summary>The model wrapped when <paramref name="invariance"/> asks for anything.</summary>
    public static IClassModel Wrap(IClassModel model, ImageInvariance? invariance) =>
        invariance is null || invariance.IsNone ? model : new InvariantModel(model, invariance);
}

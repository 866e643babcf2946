// A test image a report explains: its role ("most novel", "most typical", "most borderline" among the real and fake
// test images, by one model's score), whether it is of the real class, its explanation, and the pixels a card shows:
// the image and its nearest training images (reference images in Explanation.Neighbours order), each (C, H, W).
namespace Latent.Models.Explanations;

/// <summary>A test image a report explains.</summary>
public sealed record ExplanationCase(string Role, string Model, bool IsReal, double Threshold, Explanation Explanation, float[] Image,
    IReadOnlyList<float[]> NeighbourImages, ImageShape Shape)
{
    /// <summary>The roles, in card order.</summary>
    public static readonly IReadOnlyList<string> Roles = ["most novel", "most typical", "most borderline"];

    /// <summary>Explains the test images of one (model, score): the highest score, the lowest, and the one closest to
    /// <paramref name="threshold"/>; the real images come first in the scores' order (real then fake).</summary>
    public static IReadOnlyList<ExplanationCase> Pick(Explainer explainer, string model, Samples real, Samples fake, IReadOnlyList<double> realScores,
        IReadOnlyList<double> fakeScores, double threshold, Samples reference)
    {
        ArgumentNullException.ThrowIfNull(explainer);
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(fakeScores);
        var all = realScores.Concat(fakeScores).Select((s, i) => (S: s, I: i)).Where(t => !double.IsNaN(t.S)).ToList();
        if (all.Count == 0) return [];
        int novel = all.MaxBy(t => t.S).I, typical = all.MinBy(t => t.S).I;
        int border = double.IsFinite(threshold) ? all.MinBy(t => Math.Abs(t.S - threshold)).I : all.OrderBy(t => t.S).ElementAt(all.Count / 2).I;
        int[] picks = [novel, typical, border];
        float[] Pixels(int i) => (i < real.Count ? real.Row(i) : fake.Row(i - real.Count)).ToArray();
        var x = new Samples(picks.SelectMany(Pixels).ToArray(), picks.Length, real.Shape);
        var explained = explainer.Explain(x);
        return picks.Select((p, k) => new ExplanationCase(Roles[k], model, p < real.Count, threshold, explained[k] with { Index = p }, Pixels(p),
            explained[k].Neighbours.Select(n => reference.Row(n.Index).ToArray()).ToArray(), real.Shape)).ToArray();
    }
}

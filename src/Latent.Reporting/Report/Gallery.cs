// A gallery of a report: a few test images picked by their scores (the most novel of the normal class, the most
// normal-looking of the anomalies), with the score of each, so a reader sees what the model gets wrong.
namespace Latent.Reporting.Report;

/// <summary><see cref="Images"/>[i] has score <see cref="Scores"/>[i]; <see cref="Id"/> names the section anchor and the PNG.</summary>
public sealed record Gallery(string Id, string Title, string Caption, ImageBatch Images, IReadOnlyList<double> Scores)
{
    /// <summary>The galleries of the best result (lowest balanced error): the <paramref name="k"/> real (normal) test
    /// images with the highest scores and the <paramref name="k"/> fake (novel) ones with the lowest. None when the
    /// images are not all the row's scored images (their counts differ) or there is no finite result.</summary>
    public static IReadOnlyList<Gallery> OfBestRow(IReadOnlyList<ClassModelRow> rows, ImageBatch? real, ImageBatch? fake, int k = 12)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var best = rows.Where(r => double.IsFinite(r.BalancedError)).MinBy(r => r.BalancedError);
        if (best is null || real is null || fake is null || real.Count != best.RealScores.Length || fake.Count != best.FakeScores.Length) return [];
        return
        [
            Pick("gallery-novel-normals", $"The most novel {best.Real} (normal) images",
                $"Test images of {best.Real} with the highest {best.Score} scores under {best.Caption}: the normal images most likely to be flagged (false alarms), most novel first.",
                real, best.RealScores, k, highest: true),
            Pick("gallery-normal-anomalies", $"The most normal-looking {best.Fake} (novel) images",
                $"Test images of {best.Fake} with the lowest {best.Score} scores under {best.Caption}: the anomalies most likely to be missed, most normal-looking first.",
                fake, best.FakeScores, k, highest: false),
        ];
    }

    private static Gallery Pick(string id, string title, string caption, ImageBatch images, double[] scores, int k, bool highest)
    {
        int[] order = [.. Enumerable.Range(0, scores.Length).Where(i => !double.IsNaN(scores[i]))];
        order = highest ? [.. order.OrderByDescending(i => scores[i])] : [.. order.OrderBy(i => scores[i])];
        order = order[..Math.Min(k, order.Length)];
        int hw = images.Height * images.Width;
        var pixels = new float[Math.Max(1, order.Length) * hw];
        for (int j = 0; j < order.Length; j++) images.Pixels.AsSpan(order[j] * hw, hw).CopyTo(pixels.AsSpan(j * hw));
        return new Gallery(id, title, caption, new ImageBatch(pixels, Math.Max(1, order.Length), images.Height, images.Width), [.. order.Select(i => scores[i])]);
    }
}

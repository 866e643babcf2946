// Everything a class-modelling report shows: title, run settings (in order), result rows with their test
// scores, and optional test images, reconstructions and latent codes. Plain data: no dependency on models.
namespace Latent.Reporting.Report;

/// <summary>Everything a class-modelling report shows: title, run settings (in order), result rows with their test scores, and optional test images, reconstructions and latent codes.</summary>
public sealed class ClassModelReport
{
    public required string Title { get; init; }

    /// <summary>The run's settings in display order (e.g. "train", "digits 3"; "epochs", "10").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    public IReadOnlyList<ClassModelRow> Rows { get; init; } = [];

    /// <summary>Real test images (the first ones are shown) and fake test images.</summary>
    public ImageBatch? RealImages { get; init; }

    public ImageBatch? FakeImages { get; init; }

    /// <summary>Per model: reconstructions of the first real and fake images, same order.</summary>
    public IReadOnlyList<Reconstruction> Reconstructions { get; init; } = [];

    public IReadOnlyList<LatentCodes> Latents { get; init; } = [];

    /// <summary>Galleries of test images picked by score (Gallery.OfBestRow), shown after the results table.</summary>
    public IReadOnlyList<Gallery> Galleries { get; set; } = [];

    /// <summary>Cards of explained test images and training alarms (section "Explanations and training alarms").</summary>
    public IReadOnlyList<ReportCard> Cards { get; init; } = [];

    /// <summary>How many test images per grid (columns).</summary>
    public int ImagesShown { get; init; } = 12;

    /// <summary>When the run happened (shown in the header); null hides it.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Throws ArgumentException naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Title)) throw new ArgumentException("The report needs a title.", nameof(Title));
        ArgumentNullException.ThrowIfNull(Settings);
        ArgumentNullException.ThrowIfNull(Rows);
        ArgumentNullException.ThrowIfNull(Cards);
        foreach (ReportCard card in Cards)
            if (card is null || (card.Png is not null && (card.PngWidth < 1 || card.PngHeight < 1)))
                throw new ArgumentException("A report card is null or has a picture without a size.", nameof(Cards));
        if (ImagesShown < 1) throw new ArgumentException($"ImagesShown must be at least 1, got {ImagesShown}.", nameof(ImagesShown));
        for (int i = 0; i < Rows.Count; i++)
        {
            ClassModelRow r = Rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(Rows));
            if (r.RealScores is null || r.FakeScores is null)
                throw new ArgumentException($"Row {i} ({r.Caption}) has null score arrays; use empty arrays for none.", nameof(Rows));
        }
        foreach (Reconstruction rec in Reconstructions)
        {
            Check(rec.Real, RealImages, $"reconstruction '{rec.Name}' of the real images", "RealImages");
            Check(rec.Fake, FakeImages, $"reconstruction '{rec.Name}' of the fake images", "FakeImages");
        }
        foreach (LatentCodes z in Latents)
        {
            if (z.Count <= 0 || z.Dims <= 0 || z.Z is null || (long)z.Count * z.Dims != z.Z.Length)
                throw new ArgumentException($"Latent codes '{z.Name}' need Count x Dims = {(long)z.Count * z.Dims} values, got {z.Z?.Length ?? 0}.", nameof(Latents));
            if (z.Classes is { } c && c.Length != z.Count)
                throw new ArgumentException($"Latent codes '{z.Name}' have {z.Count} samples but {c.Length} class labels.", nameof(Latents));
        }
    }

    private static void Check(ImageBatch? rec, ImageBatch? originals, string what, string field)
    {
        if (rec is null) return;
        if (originals is null)
            throw new ArgumentException($"The {what} are given but {field} is not; reconstructions are shown beside their inputs.", field);
        if (rec.Height != originals.Height || rec.Width != originals.Width)
            throw new ArgumentException($"The {what} are {rec.Height} x {rec.Width} but {field} are {originals.Height} x {originals.Width}.", field);
    }
}

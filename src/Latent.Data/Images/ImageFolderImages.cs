// The images of a folder as one batch: levels in [0, 1], (N, C, H, W) row-major, with the file of each, and the
// files skipped because they could not be read.
namespace Latent.Data.Images;

/// <summary><see cref="Pixels"/> holds (Count, Channels, Height, Width) levels in [0, 1]; <see cref="Files"/>[i] is image i's path.</summary>
public sealed record ImageFolderImages(float[] Pixels, int Count, int Height, int Width, IReadOnlyList<string> Files)
{
    /// <summary>1 (gray) or 3 (RGB planes).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The file name of each image (no folder), in batch order.</summary>
    public IReadOnlyList<string> Names => [.. Files.Select(f => System.IO.Path.GetFileName(f))];

    /// <summary>Files left out because they could not be read (only with ImageFolderOptions.SkipUnreadable).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];
}

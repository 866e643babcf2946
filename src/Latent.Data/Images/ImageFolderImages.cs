// The images of a folder as one batch: gray levels in [0, 1], (N, H, W) row-major, with the file of each.
namespace Latent.Data.Images;

/// <summary><see cref="Pixels"/> holds (Count, Height, Width) gray levels; <see cref="Files"/>[i] is image i's path.</summary>
public sealed record ImageFolderImages(float[] Pixels, int Count, int Height, int Width, IReadOnlyList<string> Files)
{
    /// <summary>The file name of each image (no folder), in batch order.</summary>
    public IReadOnlyList<string> Names => [.. Files.Select(f => System.IO.Path.GetFileName(f))];
}

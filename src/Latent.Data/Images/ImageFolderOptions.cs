// How ImageFolder.Load reads a folder: the size every image must have (or is resized to), and the channels.
using Latent.Data.Png;

namespace Latent.Data.Images;

/// <summary>How ImageFolder.Load reads a folder: the size every image must have (or is resized to), and the channels.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Height and width every image must have; null: the first file's size.</summary>
    public (int Height, int Width)? Size { get; init; }

    /// <summary>Resize images of another size to <see cref="Size"/> by area averaging (ImageResize.Box) instead of
    /// refusing them. Needs <see cref="Size"/>.</summary>
    public bool Resize { get; init; }

    /// <summary>1 (gray: colour by Rec. 601 luma) or 3 (RGB: gray replicated); null: 3 if any file has colour, else 1.</summary>
    public int? Channels { get; init; }

    public PngLimits? Limits { get; init; }
}

// How ImageFolder.Load reads a folder: the size every image must have (or is resized to, and how), the channels,
// the size limits, and whether unreadable files stop the load or are skipped and reported.
using Latent.Data.Png;

namespace Latent.Data.Images;

/// <summary>How ImageFolder.Load reads a folder: the size every image must have (or is resized to), and the channels.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Height and width every image must have; null: the first file's size.</summary>
    public (int Height, int Width)? Size { get; init; }

    /// <summary>Resize images of another size to <see cref="Size"/> (as <see cref="Mode"/> says, by area averaging,
    /// ImageResize.Fit) instead of refusing them. Needs <see cref="Size"/>.</summary>
    public bool Resize { get; init; }

    /// <summary>How images of another shape are resized: stretched (default), centre-cropped or padded.</summary>
    public ResizeMode Mode { get; init; } = ResizeMode.Stretch;

    /// <summary>1 (gray: colour by Rec. 601 luma) or 3 (RGB: gray replicated); null: 3 if any file has colour, else 1.</summary>
    public int? Channels { get; init; }

    /// <summary>Size limits for one image (pixels, side, file bytes), checked from the header before decoding; also
    /// used for formats other than PNG.</summary>
    public PngLimits? Limits { get; init; }

    /// <summary>Skip a file that cannot be read (corrupt, truncated, over the limits, not a regular file) and list it in
    /// ImageFolderImages.Skipped, instead of stopping with its error. A size mismatch is never skipped. Off by default;
    /// the CLI turns it on unless --strict.</summary>
    public bool SkipUnreadable { get; init; }
}

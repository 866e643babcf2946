// Bounds a PNG reader enforces before it allocates: pixels per image, pixels per side, bytes per file. They are
// checked against the header and the file system's size, so a small hostile file cannot make the reader
// allocate more than they imply (at most MaxPixels x 4 bytes of 8-bit output, two rows of at most
// 8 x MaxSide bytes, MaxFileBytes of file image). Reference: libpng's png_set_user_limits (same side limit).
namespace Latent.Data.Png;

/// <summary>Size limits for reading PNG files; <see cref="Default"/> allows 64 Mpixel, 1,000,000 pixels a side and 256 MB per file.</summary>
public sealed record PngLimits
{
    /// <summary>64 Mpixel (8192 x 8192), 1,000,000 pixels a side, 256 MB per file.</summary>
    public static PngLimits Default { get; } = new();

    /// <summary>Largest width x height accepted; a larger header is refused before any pixel data is read.</summary>
    public long MaxPixels { get; init; } = 64L << 20;

    /// <summary>Largest width and largest height accepted (libpng's default user limit), so that one row of the
    /// widest image allowed stays small (at most 8 MB of 16-bit RGBA).</summary>
    public int MaxSide { get; init; } = 1_000_000;

    /// <summary>Largest file read, in bytes; a larger file is refused before it is opened.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    internal void Validate()
    {
        if (MaxPixels < 1) throw new ArgumentOutOfRangeException(nameof(MaxPixels), $"MaxPixels must be at least 1, got {MaxPixels}.");
        if (MaxSide < 1) throw new ArgumentOutOfRangeException(nameof(MaxSide), $"MaxSide must be at least 1, got {MaxSide}.");
        if (MaxFileBytes < 1 || MaxFileBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), $"MaxFileBytes must be between 1 and {Array.MaxLength}, got {MaxFileBytes}.");
    }
}

// An image whose size is not the one its reader needs (a model's input size, or the first image's of a folder),
// found from the file's header before the image is decoded. An IOException (InvalidDataException is sealed), so
// callers that treat bad input files alike catch it with the rest.
namespace Latent.Data.Images;

/// <summary>The image at <see cref="Path"/> is <see cref="Width"/> x <see cref="Height"/>, not
/// <see cref="ExpectedWidth"/> x <see cref="ExpectedHeight"/>.</summary>
public sealed class ImageSizeException : IOException
{
    public ImageSizeException() { }
    public ImageSizeException(string message) : base(message) { }
    public ImageSizeException(string message, Exception inner) : base(message, inner) { }

    public ImageSizeException(string message, string path, int width, int height, int expectedWidth, int expectedHeight) : base(message)
    {
        Path = path;
        (Width, Height, ExpectedWidth, ExpectedHeight) = (width, height, expectedWidth, expectedHeight);
    }

    public string Path { get; } = "";
    public int Width { get; }
    public int Height { get; }
    public int ExpectedWidth { get; }
    public int ExpectedHeight { get; }

    /// <summary>The file whose size the folder was expected to have (no size was asked for), or null.</summary>
    public string? First { get; init; }
}

// Small images in every format read (ImageFormats), encoded by ImageSharp's own encoders from known pixels, for the
// format, folder and fuzz tests: a gray gradient and a colour pattern, lossless except JPEG (and GIF's palette, which
// keeps a gray image's 256 levels exactly).
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Latent.Tests.Data.Images;

public static class ImageSamples
{
    /// <summary>The extensions written by <see cref="Gray"/> and <see cref="Colour"/>, one per format.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".bmp", ".gif", ".tif", ".webp"];

    /// <summary>(H, W) gray levels of the test gradient: 17 ((7 y + 3 x) mod 16), 16 levels (a GIF palette keeps them).</summary>
    public static byte[] GrayLevels(int width, int height)
    {
        var g = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) g[y * width + x] = (byte)(17 * ((7 * y + 3 * x) % 16));
        return g;
    }

    /// <summary>The gray gradient as a file image of the format of <paramref name="extension"/>.</summary>
    public static byte[] Gray(string extension, int width = 12, int height = 9)
    {
        using var img = Image.LoadPixelData<L8>(GrayLevels(width, height), width, height);
        return Encode(img, extension);
    }

    /// <summary>A colour image: R = 20 x, G = 20 y, B = 200, as a file image of the format of <paramref name="extension"/>.</summary>
    public static byte[] Colour(string extension, int width = 8, int height = 6)
    {
        var px = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) (px[(y * width + x) * 3], px[(y * width + x) * 3 + 1], px[(y * width + x) * 3 + 2]) = ((byte)(20 * x), (byte)(20 * y), 200);
        using var img = Image.LoadPixelData<Rgb24>(px, width, height);
        return Encode(img, extension);
    }

    private static byte[] Encode(Image img, string extension)
    {
        using var ms = new MemoryStream();
        switch (extension)
        {
            case ".png": img.SaveAsPng(ms); break;
            case ".jpg": img.Save(ms, new JpegEncoder { Quality = 95 }); break;
            case ".bmp": img.Save(ms, new BmpEncoder()); break;
            case ".gif": img.Save(ms, new GifEncoder()); break;
            case ".tif": img.Save(ms, new TiffEncoder()); break;
            case ".webp": img.Save(ms, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }); break;
            default: throw new ArgumentException($"no encoder for {extension}", nameof(extension));
        }
        return ms.ToArray();
    }
}

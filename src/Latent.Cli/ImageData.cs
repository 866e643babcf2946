// A user's own images on the command line: --dataset FOLDER (a folder of PNG images, told from a folder of IDX files
// by the files it holds; the option is declared here for train and classmodel), --anomalies FOLDER, and --image-size
// (resize every image to one size by area averaging, ImageResize.Box; without it every image of a folder must have
// the first one's size). Messages name what was found and the option that works.
using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Latent.Data.Images;
using Latent.Models;

namespace Latent.Cli;

internal static class ImageData
{
    /// <summary>--dataset of `train` and `classmodel`: a folder of the user's normal images or a labelled dataset;
    /// <paramref name="folderNote"/> says what goes with a folder (classmodel: --anomalies).</summary>
    public static Option<string> DatasetOption(string? folderNote = null) => new("--dataset")
    {
        Description = $"A folder of your normal images (PNG{(folderNote is null ? "" : $", {folderNote}")}), mnist, fashion-mnist, or a folder of MNIST-layout IDX files.",
        DefaultValueFactory = _ => "mnist",
    };

    public static Option<string?> SizeOption() => new("--image-size")
    {
        Description = "Resize every image to this size, S or WxH pixels (e.g. 28 or 64x48), by area averaging; the aspect ratio is not kept. " +
            "Without it, all images must have one size.",
    };

    /// <summary>True when <paramref name="path"/> is an existing folder without IDX files: a folder of images (or of
    /// nothing usable, which the image loader then explains).</summary>
    public static bool IsImageFolder(string path) => Directory.Exists(path) && !DatasetInfo.HasIdxFiles(path);

    /// <summary>--image-size S or WxH as (height, width); null when not given.</summary>
    public static (int Height, int Width)? ParseSize(string? text)
    {
        if (text is null) return null;
        string[] parts = text.Split('x', 'X');
        if (parts.Length is 1 or 2 && parts.All(IsSide))
        {
            int w = int.Parse(parts[0], CultureInfo.InvariantCulture), h = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            return (h, w);
        }
        throw new CliException($"--image-size {text}: give one side or width x height in pixels, 1 to 4096, e.g. --image-size 28 or --image-size 64x48.");
    }

    private static bool IsSide(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= 4096;

    /// <summary>The images of <paramref name="folder"/> (given as <paramref name="option"/>) as samples of
    /// <paramref name="channels"/> channels (null: from the files), of <paramref name="size"/> when given (resized), else of one size.</summary>
    public static (Samples X, string[] Names) Load(string folder, string option, (int Height, int Width)? size, int? channels, bool resize = true)
    {
        if (File.Exists(folder)) throw new CliException($"{option} {folder} is a file; give the folder that holds the images.");
        if (!Directory.Exists(folder)) throw new CliException($"{option} {folder}: the folder {Path.GetFullPath(folder)} does not exist.");
        if (DatasetInfo.HasIdxFiles(folder))
            throw new CliException($"{option} {folder} holds IDX files, not images; {option} takes a folder of PNG images (an IDX dataset folder goes to --dataset, with --real/--fake or --class).");
        try
        {
            var set = ImageFolder.Load(folder, new ImageFolderOptions { Size = size, Resize = resize && size is not null, Channels = channels });
            return (new Samples(set.Pixels, set.Count, new ImageShape(set.Channels, set.Height, set.Width)), [.. set.Files]);
        }
        catch (ImageSizeException e) when (e.First is not null)
        {
            throw new CliException($"{option} {folder}: {Path.GetFileName(e.Path)} is {e.Width}x{e.Height} but {Path.GetFileName(e.First)} is {e.ExpectedWidth}x{e.ExpectedHeight}; " +
                $"add --image-size {e.ExpectedWidth}x{e.ExpectedHeight} (or another size) to resize every image to one size.");
        }
    }

    /// <summary>Samples resized to <paramref name="size"/> (area averaging); the same samples when null or equal.</summary>
    public static Samples Resize(Samples s, (int Height, int Width)? size)
    {
        if (size is not var (h, w) || (s.Shape.Height == h && s.Shape.Width == w)) return s;
        var shape = new ImageShape(s.Shape.Channels, h, w);
        var x = new float[(long)s.Count * shape.Dim];
        for (int i = 0; i < s.Count; i++)
            ImageResize.Box(s.Row(i), s.Shape.Channels, s.Shape.Height, s.Shape.Width, x.AsSpan(i * shape.Dim, shape.Dim), h, w);
        return new Samples(x, s.Count, shape);
    }
}

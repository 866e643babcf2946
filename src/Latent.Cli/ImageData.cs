// A user's own images on the command line: --dataset FOLDER (a folder of images: PNG, JPEG, BMP, GIF, TIFF, WebP, told
// from a folder of IDX files by the files it holds), --anomalies FOLDER, and how they are read: --image-size (resize
// every image to one size by area averaging; without it every image of a folder must have the first one's size),
// --resize-mode (stretch, crop or pad), --channels (1 or 3; default from the files) and --strict (stop at the first
// unreadable image instead of skipping it; skipped files are named on stderr with a count). Messages name what was
// found and the option that works.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
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
        Description = $"A folder of your normal images (PNG, JPEG, BMP, GIF, TIFF, WebP{(folderNote is null ? "" : $"; {folderNote}")}), folder:PATH (a folder of class folders), csv:FILE or parquet:FILE (a numeric table, with --label-column), mnist, fashion-mnist, or a folder of MNIST-layout IDX files.",
        DefaultValueFactory = _ => "mnist",
    };

    public static Option<string?> SizeOption() => new("--image-size")
    {
        Description = "Resize every image to this size, S or WxH pixels (e.g. 28 or 64x48), by area averaging; the aspect ratio is not kept. " +
            "Without it, all images must have one size.",
    };

    public static Option<string?> ResizeModeOption() => new("--resize-mode")
    {
        Description = "How --image-size (or score --resize) changes an image of another shape: stretch (default; the aspect ratio is not kept), crop (the largest centred region of the target's shape) or pad (fit inside, black borders).",
    };

    public static Option<int?> ChannelsOption() => new("--channels")
    {
        Description = "Read images as 1 (gray, colour by luma) or 3 (RGB) channels; default 3 if any image has colour, else 1.",
    };

    public static Option<bool> StrictOption() => new("--strict")
    {
        Description = "A flag: stop at the first image that cannot be read (corrupt, truncated, too large); by default it is skipped and named on stderr.",
    };

    /// <summary>--resize-mode as a ResizeMode (stretch when not given).</summary>
    public static ResizeMode ParseMode(string? text)
    {
        if (text is null) return ResizeMode.Stretch;
        string[] names = ["stretch", "crop", "pad"];
        string t = text.Trim().ToLowerInvariant();
        int k = Array.IndexOf(names, t);
        if (k < 0) throw new CliException($"--resize-mode {text}: unknown mode{DidYouMean.Suggest(t, names)}; use stretch, crop or pad.");
        return (ResizeMode)k;
    }

    /// <summary>--channels: null, 1 or 3.</summary>
    public static int? ParseChannels(int? channels) => channels is null or 1 or 3 ? channels
        : throw new CliException($"--channels {channels}: give 1 (gray) or 3 (RGB).");

    /// <summary>Names each skipped file on stderr, then the count (also with --json, whose document is on stdout);
    /// nothing when none was skipped.</summary>
    public static void ReportSkipped(Terminal term, IReadOnlyList<SkippedImage> skipped, string where)
    {
        if (skipped.Count == 0) return;
        foreach (var s in skipped) term.Err.WriteLine($"skipped {s.Reason}");      // stderr even with --json: the data lost
        term.Err.WriteLine($"{where}: skipped {skipped.Count} image{(skipped.Count == 1 ? "" : "s")} that could not be read (add --strict to stop at the first instead)");
    }

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
    public static (Samples X, string[] Names) Load(string folder, string option, (int Height, int Width)? size, int? channels, bool resize = true,
        ResizeMode mode = ResizeMode.Stretch, bool strict = false, Terminal? term = null)
    {
        if (File.Exists(folder)) throw new CliException($"{option} {folder} is a file; give the folder that holds the images.");
        if (!Directory.Exists(folder)) throw new CliException($"{option} {folder}: the folder {Path.GetFullPath(folder)} does not exist.");
        if (DatasetInfo.HasIdxFiles(folder))
            throw new CliException($"{option} {folder} holds IDX files, not images; {option} takes a folder of images (an IDX dataset folder goes to --dataset, with --real/--fake or --class).");
        try
        {
            var set = ImageFolder.Load(folder, new ImageFolderOptions { Size = size, Resize = resize && size is not null, Mode = mode, Channels = channels, SkipUnreadable = !strict });
            if (term is not null) ReportSkipped(term, set.Skipped, $"{option} {folder}");
            return (new Samples(set.Pixels, set.Count, new ImageShape(set.Channels, set.Height, set.Width)), [.. set.Files]);
        }
        catch (ImageSizeException e) when (e.First is not null)
        {
            throw new CliException($"{option} {folder}: {Path.GetFileName(e.Path)} is {e.Width}x{e.Height} but {Path.GetFileName(e.First)} is {e.ExpectedWidth}x{e.ExpectedHeight}; " +
                $"add --image-size {e.ExpectedWidth}x{e.ExpectedHeight} (or another size) to resize every image to one size.");
        }
    }

    /// <summary>Samples resized to <paramref name="size"/> (area averaging); the same samples when null or equal.</summary>
    public static Samples Resize(Samples s, (int Height, int Width)? size, ResizeMode mode = ResizeMode.Stretch)
    {
        if (size is not var (h, w) || (s.Shape.Height == h && s.Shape.Width == w)) return s;
        var shape = new ImageShape(s.Shape.Channels, h, w);
        var x = new float[(long)s.Count * shape.Dim];
        for (int i = 0; i < s.Count; i++)
            ImageResize.Fit(s.Row(i), s.Shape.Channels, s.Shape.Height, s.Shape.Width, x.AsSpan(i * shape.Dim, shape.Dim), h, w, mode);
        return new Samples(x, s.Count, shape);
    }
}

// What `latent score --input` names, read in batches so that memory is one batch whatever the input's size: a folder
// tree of images (FolderInput: walked in a fixed order, decoded on all cores), an IDX images file (IdxInput: read by
// seeking), or dataset:class (DatasetInput: that class of the dataset's test split, already in memory). Images are
// given at the model's shape: channels as the model takes them, and with --resize another size resized by area
// averaging (ImageResize.Box, as train --image-size); without it a folder's odd-sized image is skipped (or stops the
// run, with --strict), and an IDX file or dataset of another size is refused before anything is scored.
// The messages of each bad form are the ones `latent score` always gave.
using Latent.Cli.Output;
using Latent.Data;
using Latent.Data.Images;
using Latent.Models;

namespace Latent.Cli.Scoring;

internal abstract class ScoreInput : IDisposable
{
    protected ScoreInput(ImageShape shape) => Shape = shape;

    /// <summary>The model's image shape, which every image is read at.</summary>
    public ImageShape Shape { get; }

    /// <summary>Images in the whole input (before --shard).</summary>
    public abstract long Count { get; }

    /// <summary>Images first .. first + n - 1, in order; called with increasing <paramref name="first"/>.</summary>
    public abstract ImageBatch Read(long first, int n);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    /// <summary>How --resize brings an image of another aspect ratio to the model's shape.</summary>
    protected ResizeMode Mode { get; init; }

    /// <summary>The input named by --input: a folder, an IDX images file, dataset:class, folder:PATH (class folders,
    /// read whole), or csv:FILE for a model fitted on a table (<paramref name="features"/>, read whole).</summary>
    public static ScoreInput Open(string input, ImageShape shape, bool resize, DataCache cache, Terminal term,
        ResizeMode mode = ResizeMode.Stretch, bool strict = false, FeatureScaling? features = null, string? modelPath = null)
    {
        int height = shape.Height, width = shape.Width;
        if (features is not null || CsvData.PathOf(input) is not null)
        {
            var (tx, tnames, tpaths) = ScoreCommand.LoadTable(input, features, modelPath ?? "");
            return new MemoryInput(tx, tnames, tpaths);
        }
        if (ClassFolders.PathOf(input) is string root)
        {
            try
            {
                var options = new ImageFolderOptions { Size = (height, width), Resize = resize, Mode = mode, Channels = shape.Channels, SkipUnreadable = !strict };
                var (cx, cnames, cpaths) = ClassFolders.LoadAll(root, options, term);
                return new MemoryInput(new Samples(cx.X, cx.Count, shape), cnames, cpaths);
            }
            catch (ImageSizeException e)
            {
                throw new CliException($"--input: {e.Path} is {e.Width}x{e.Height}; the model takes {width}x{height} images (add --resize to resize them).");
            }
        }
        if (Directory.Exists(input))
        {
            if (DatasetInfo.HasIdxFiles(input))
                throw new CliException($"--input {input} is a folder of IDX files; give one images file (e.g. --input {Path.Combine(input, "t10k-images-idx3-ubyte")}), dataset:class, or a folder of images.");
            return new FolderInput(input, shape, resize) { Mode = mode };
        }
        if (shape.Channels != 1)
            throw new CliException($"--input {input}: the model takes {shape} colour images; IDX files and datasets are gray: give a folder of images.");
        if (File.Exists(input))
        {
            if (ImageFormats.IsRead(input))
                throw new CliException($"--input {input} is one image; give the folder that holds it (every image in it is scored): --input {Path.GetDirectoryName(Path.GetFullPath(input))}.");
            if (input.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"--input {input} is a CSV table, and the model was fitted on images; a model fitted on a table (train --dataset csv:FILE) scores --input csv:FILE.");
            if (IsGzip(input))   // read whole through the bounded reader, whose checks refuse a gzip bomb before scoring
            {
                var (dims, data) = Idx.Read(input);
                if (dims.Length != 3) throw new CliException($"--input {input}: an IDX images file has 3 dimensions (N, H, W), this one has {dims.Length}.");
                if ((dims[1] != height || dims[2] != width) && !resize)
                    throw new CliException($"--input {input} holds {dims[2]}x{dims[1]} images; the model takes {width}x{height} (add --resize to resize them).");
                var set = Idx.ToImageSet(data, new byte[dims[0]], dims[1], dims[2], classes: null, input);
                return new DatasetInput(set, Path.GetFileName(input), shape) { Mode = mode };
            }
            var idx = IdxImages.Open(input);
            if ((idx.Height != height || idx.Width != width) && !resize)
            {
                idx.Dispose();
                throw new CliException($"--input {input} holds {idx.Width}x{idx.Height} images; the model takes {width}x{height} (add --resize to resize them).");
            }
            return new IdxInput(idx, shape) { Mode = mode };
        }
        int colon = input.LastIndexOf(':');
        if (colon <= 0) throw new CliException($"--input {input}: not a file, a folder, or dataset:class (e.g. mnist:5).");
        var d = DatasetInfo.Resolve(input[..colon]);
        int c = d.ParseClass(input[(colon + 1)..]);
        var test = Datasets.Load(d, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err).OfClass(c);
        if ((test.Height != height || test.Width != width) && !resize)
            throw new CliException($"--input {input}: {d.Name} has {test.Width}x{test.Height} images; the model takes {width}x{height} (add --resize to resize them).");
        return new DatasetInput(test, $"{d.Name}:{d.ClassNames[c]}", shape) { Mode = mode };
    }

    /// <summary>Gray levels of <paramref name="n"/> images of h0 x w0 (one plane each) at the model's shape: copied, or
    /// resized by area averaging.</summary>
    protected float[] AtShape(ReadOnlySpan<float> gray, int n, int h0, int w0)
    {
        int d0 = h0 * w0, d = Shape.Dim;
        var x = new float[(long)n * d];
        if (h0 == Shape.Height && w0 == Shape.Width) gray[..(n * d)].CopyTo(x);
        else
            for (int i = 0; i < n; i++)
                ImageResize.Fit(gray.Slice(i * d0, d0), 1, h0, w0, x.AsSpan(i * d, d), Shape.Height, Shape.Width, Mode);
        return x;
    }

    /// <summary>Whether the file starts with the gzip magic bytes (1f 8b), whatever its name.</summary>
    private static bool IsGzip(string path)
    {
        byte[] head = RegularFile.ReadPrefix(path, 2, long.MaxValue);
        return head.Length == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }
}

// The fuzz targets: the readers of every file a user hands Latent. Each reads a scratch file as the CLI would and
// checks the invariants a success implies (FuzzOracleException otherwise):
//   idx          Idx.Read (gzipped when the input is gzip; Idx.Parse on the bytes): data length = product of sizes
//   png          PngDecoder.Load: at most 2^28 pixels, pixel buffer = width x height x channels
//   images       ImageFile.Load (JPEG, BMP, GIF, TIFF, WebP through ImageSharp; PNG through PngDecoder), as the image
//                folder reader calls it: at most PngLimits' 2^26 pixels, pixel buffer = width x height x channels;
//                ImageSharp's own exceptions must arrive as Latent's InvalidDataException naming the file
//   checkpoint   Checkpoint.Read: every tensor holds the product of its shape
//   autoencoder  AutoencoderFile.Load, then every score of one image (what `latent score` does with a model file):
//                the format version is 1, the epoch a non-negative integer (issue 12: "refuse them with a clear
//                message"), the image size bounded (at most 2^24 pixels)
//   imagefolder  ImageFolder.Load (train --dataset FOLDER, score --input FOLDER) of a folder holding the input (under its
//                own name) after a valid 5 x 7 a.png: resized to 6 x 4 (every value finite and in [0, 1], N x C x 6 x 4
//                of them), then at the first file's size (an input of another size is an ImageSizeException)
//   judge        JudgeFile.Load (`latent explore --judge`), then the class probabilities of one image (finite, summing to 1)
// Seeds: the committed corpus under Fixtures/Fuzz/<target> (valid files and known-bad ones from issue 12), the
// PNG decoder's own fixtures, for IDX a gzip bomb built here (too large to commit), and for images a gray and a colour
// image in each of the six formats, encoded here by ImageSharp (Data/Images/ImageSamples).
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using Latent.Models;
using Latent.Nn.Checkpoints;
using Latent.Data.Png;
using Latent.Tensors;

namespace Latent.Tests.Fuzz;

public static class FuzzTargets
{
    public static string CorpusDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Fuzz");

    public static FuzzTarget Idx() => new("idx",
        b => Compression.IsGzip(b) ? "fuzz-input-idx3-ubyte.gz" : "fuzz-input-idx3-ubyte", ReadIdx, new IdxMutator(), [.. Corpus("idx"), GzipBomb()]);

    public static FuzzTarget Png() => new("png", _ => "fuzz-input.png", LoadPng, new PngMutator(),
        [.. Corpus("png"), .. Files(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", "png"), "*.png")]);

    public static FuzzTarget Images() => new("images", _ => "fuzz-input.img", LoadImage, new RawMutator(),
        [.. Data.Images.ImageSamples.Extensions.SelectMany(e => new[] { Data.Images.ImageSamples.Gray(e, 9, 7), Data.Images.ImageSamples.Colour(e, 5, 4) })]);

    public static FuzzTarget Checkpoint() => new("checkpoint", _ => "fuzz-input.safetensors", ReadCheckpoint, new CheckpointMutator(), Corpus("checkpoint"));

    public static FuzzTarget Autoencoder() => new("autoencoder", _ => "fuzz-input.safetensors", LoadAndScore, new CheckpointMutator(), Corpus("checkpoint"));

    public static FuzzTarget ImageFolder() => new("imagefolder", _ => "fuzz-input.png", LoadImageFolder, new PngMutator(), Corpus("png"));

    public static FuzzTarget Judge() => new("judge", _ => "fuzz-input.safetensors", LoadJudge, new CheckpointMutator(), Corpus("judge"));

    /// <summary>The CSV reader behind --dataset csv:FILE and score --input csv:FILE (CsvReader, TabularSet), seeded
    /// with small tables: plain, quoted fields with commas, quotes and line breaks, CRLF, a BOM, and a missing final newline.</summary>
    public static FuzzTarget Csv() => new("csv", _ => "fuzz-input.csv", LoadCsv, new RawMutator(),
    [
        .. new[]
        {
            "a,b,label\n1,2,x\n3,4.5,y\n-1e-3,7,x\n",
            "\uFEFF\"f 1\",\"f,2\",label\r\n0.5,\"1.5\",\"a \"\"b\"\"\"\r\n2,3,\"multi\nline\"\r\n",
            "x,y,z,label\n1,2,3,n\n4,5,6,n\n7,8,9.25,m",
        }.Select(System.Text.Encoding.UTF8.GetBytes),
    ]);

    /// <summary>Parquet tables read by the same TabularSet.Load (ParquetTable when the file starts with PAR1); the
    /// seeds are written by Parquet.Net as ParquetTableTests writes them.</summary>
    public static FuzzTarget Parquet() => new("parquet", _ => "fuzz-input.parquet", LoadCsv, new RawMutator(),
    [
        ParquetSeed(("a", typeof(double), new[] { 1.0, 3, -1e-3 }), ("b", typeof(float), new[] { 2f, 4.5f, 7f }), ("label", typeof(string), new[] { "x", "y", "x" })),
        ParquetSeed(("x", typeof(int), new[] { 1, 4, 7 }), ("y", typeof(double?), new double?[] { 2, 5, 8 }), ("label", typeof(string), new[] { "n", "n", "m" })),
        ParquetSeed(global::Parquet.CompressionMethod.Zstd, ("a", typeof(double), new[] { 1.0, 3, -1e-3 }), ("label", typeof(string), new[] { "x", "y", "x" })),
        ParquetSeed(global::Parquet.CompressionMethod.Gzip, ("a", typeof(float), new[] { 1f, 3f, 2f }), ("label", typeof(string), new[] { "x", "y", "x" })),
    ]);

    private static byte[] ParquetSeed(params (string Name, Type Type, Array Values)[] columns) => ParquetSeed(null, columns);

    private static byte[] ParquetSeed(global::Parquet.CompressionMethod? compression, params (string Name, Type Type, Array Values)[] columns)
    {
        string path = Path.Combine(Path.GetTempPath(), $"latent-fuzz-seed-{Guid.NewGuid():N}.parquet");
        try { return File.ReadAllBytes(Data.Tabular.ParquetTableTests.Write(path, compression, columns).GetAwaiter().GetResult()); }
        finally { File.Delete(path); }
    }

    public static void LoadCsv(string path)
    {
        var t = Latent.Data.Tabular.TabularSet.Load(path, "label");
        if (t.Features.LongLength != (long)t.Count * t.Dim || t.Labels.Count != t.Count || t.Features.Any(v => !float.IsFinite(v)))
            throw new FuzzOracleException($"csv-table: {path} read as {t.Count} rows of {t.Dim} columns in {t.Features.Length} values, {t.Labels.Count} labels, or with a non-finite value");
    }

    public static IReadOnlyList<byte[]> Corpus(string target) => Files(Path.Combine(CorpusDir, target), "*");

    private static List<byte[]> Files(string dir, string pattern) =>
        [.. Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    public static void ReadIdx(string path)
    {
        var (dims, data) = Latent.Data.Idx.Read(path);
        BigInteger count = dims.Aggregate(BigInteger.One, (p, d) => p * d);
        if (dims.Any(d => d < 0) || count != data.Length)
            throw new FuzzOracleException($"idx-size: {path} was read as {string.Join(" x ", dims)} = {count} elements with {data.Length} data bytes");
    }

    public static void LoadPng(string path)
    {
        PngImage image = PngDecoder.Load(path);
        if ((long)image.Width * image.Height > 1L << 28 || image.Pixels.LongLength != (long)image.Width * image.Height * image.Channels)
            throw new FuzzOracleException($"png-size: {path} decoded as {image.Width} x {image.Height} x {image.Channels} with {image.Pixels.LongLength} bytes");
    }

    public static void LoadImage(string path)
    {
        PngImage image = Latent.Data.Images.ImageFile.Load(path);
        if ((long)image.Width * image.Height > PngLimits.Default.MaxPixels || image.Pixels.LongLength != (long)image.Width * image.Height * image.Channels)
            throw new FuzzOracleException($"image-size: {path} decoded as {image.Width} x {image.Height} x {image.Channels} with {image.Pixels.LongLength} bytes");
    }

    public static void ReadCheckpoint(string path)
    {
        SafeTensorsFile file = Latent.Nn.Checkpoints.Checkpoint.Read(path);
        foreach (var (name, t) in file.Tensors)
        {
            BigInteger count = BigInteger.One;
            foreach (int d in t.Shape) count *= d;
            if (count != t.Length)
                throw new FuzzOracleException($"checkpoint-shape: tensor {name} of {path} has shape {Tensor.ShapeString(t.Shape)} and {t.Length} values");
        }
    }

    public static void LoadAndScore(string path)
    {
        var loaded = ModelFile.Load(path);
        int epoch = loaded.Epoch;
        IReadOnlyDictionary<string, string> meta = Latent.Nn.Checkpoints.Checkpoint.Read(path).Metadata;
        if (meta.GetValueOrDefault(Latent.Nn.Checkpoints.Checkpoint.VersionKey) is var version && version != Latent.Nn.Checkpoints.Checkpoint.FormatVersion)
            throw new FuzzOracleException($"autoencoder-version: {path} was loaded though its format version is '{version}'");
        if (meta.TryGetValue(ModelFile.EpochKey, out string? text)
            && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int stored) && stored == epoch))
            throw new FuzzOracleException($"autoencoder-epoch: {path} was loaded as epoch {epoch} though its metadata says '{text}'");
        var shape = loaded.Options.InputShape
            ?? throw new FuzzOracleException($"model-shape: {path} was loaded without the size of the images it takes");
        long pixels = (long)shape.Channels * shape.Height * shape.Width;
        if (pixels > 1 << 24)
            throw new FuzzOracleException($"autoencoder-size: {path} was loaded as a model of {shape} images");
        var x = new float[pixels];
        Array.Fill(x, 128 / 255f);   // an 8-bit level, so that the density models score it too
        loaded.Model.Score(new Samples(x, 1, shape));
    }

    public static void LoadImageFolder(string path)
    {
        string folder = Path.Combine(Path.GetDirectoryName(path)!, "folder");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "a.png"), PngEncoder.Encode(new byte[35], 5, 7, PixelFormat.Gray8));
        File.Copy(path, Path.Combine(folder, Path.GetFileName(path)));   // the same name, so that messages name the input
        var resized = Latent.Data.Images.ImageFolder.Load(folder, new Latent.Data.Images.ImageFolderOptions { Size = (4, 6), Resize = true });
        if (resized.Count != 2 || resized.Height != 4 || resized.Width != 6 || resized.Pixels.Length != 2 * resized.Channels * 24
            || resized.Pixels.Any(v => !(v >= 0f && v <= 1f)))
            throw new FuzzOracleException($"imagefolder-resized: {path} read as {resized.Count} images of {resized.Channels} x {resized.Height} x {resized.Width} in {resized.Pixels.Length} values, or outside [0, 1]");
        var same = Latent.Data.Images.ImageFolder.Load(folder, new Latent.Data.Images.ImageFolderOptions());
        if (same.Count != 2 || same.Height != 7 || same.Width != 5 || same.Pixels.Length != 2 * same.Channels * 35)
            throw new FuzzOracleException($"imagefolder-size: {path} read at {same.Width} x {same.Height} beside a 5 x 7 image");
    }

    public static void LoadJudge(string path)
    {
        var (judge, _) = Latent.Models.Exploration.Judges.JudgeFile.Load(path);
        var o = judge.Options;
        var x = new float[o.Height * o.Width];
        Array.Fill(x, 128 / 255f);
        float[] p = judge.Probabilities(x, 1);
        if (p.Length != o.Classes || p.Any(v => !float.IsFinite(v)) || Math.Abs(p.Sum() - 1f) > 1e-3f)
            throw new FuzzOracleException($"judge-probabilities: {path} gave {p.Length} probabilities for {o.Classes} classes summing to {p.Sum()}");
    }

    /// <summary>A 1-D IDX of 16 bytes in one gzip member, followed by 260 members of 1 MB of zeros each (about 260 KB
    /// on disk, 260 MB inflated): a reader must not inflate past what the header promises.</summary>
    public static byte[] GzipBomb()
    {
        byte[] idx = [0, 0, 8, 1, 0, 0, 0, 16, .. new byte[16]];
        byte[] zeros = Compression.Gzip(new byte[1 << 20], CompressionLevel.SmallestSize);
        var bomb = new List<byte>(Compression.Gzip(idx, CompressionLevel.SmallestSize));
        for (int i = 0; i < 260; i++) bomb.AddRange(zeros);
        return [.. bomb];
    }
}

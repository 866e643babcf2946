// The hostile input files of issue 12, generated once per test class into a temporary folder (nothing big is
// committed), each at most 10 MB, with the command line that feeds each one to `latent`:
//   PNG      16384 x 16384 RGBA16 with tiny data; 17779 x 11027 16-bit Adam7 (a few hundred bytes); a real 16384 x 16384
//            grey image of about 1 MB; a 28 x 28 image whose zlib data needs a preset dictionary. Each alone in a folder given to
//            `score --input`.
//   IDX      a gzip bomb (a valid header, 60000 x 28 x 28, then 1 GB of zeros in 1 MB) named .gz and renamed without
//            .gz; a gzip that really holds 900,000 blank images (706 MB in 0.7 MB); the header 254 x 33820272 x
//            2147380029 whose 64-bit product wraps to the 11,936 bytes that follow. Each as a `train --dataset`
//            folder and as `score --input`.
//   checkpoint  a dense VAE (latent 2) trained one epoch by `latent train` on the MNIST subset, its optimiser
//            state dropped (4 MB; `score` needs only the weights), with its header edited: options Height 100000 and
//            Width 1e9, IwaeSamples 1e8, ElboSamples 2^31 - 1, "Network": null, DenseWidths null, "Kind": -1, invalid
//            UTF-8 in the metadata, NaN weights, latent_format_version 99, a non-numeric and a negative epoch. Each
//            given to `score --model-file`. The MADE and InfoGAN seeds of the fuzz corpus with options edited to
//            4096 x 4096 images, also to `score --model-file`.
//   judge    a 1 KB judge file whose options ask for 1024 x 1024 images and 1000 classes, to `explore pairs --judge`.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Latent.Tests.Fuzz;

namespace Latent.Tests.Reliability;

public sealed class HostileInputs : IDisposable
{
    public const long MaxInputBytes = 10L << 20;

    private readonly TempDir dir = new();
    private readonly Dictionary<string, (string[] Args, string[] Files)> cases = new(StringComparer.Ordinal);

    public HostileInputs()
    {
        string subsetTest = Path.Combine(TestData.SubsetDir, "t10k-images-idx3-ubyte");
        string model = TinyCheckpoint();
        byte[] weights = File.ReadAllBytes(model);

        void Score(string name, string modelFile, string input, params string[] files) =>
            cases[name] = (["score", "--model-file", modelFile, "--input", input], files);
        void Train(string name, string dataset, params string[] files) =>
            cases[name] = (["train", "--model", "vae", "--arch", "dense", "--latent", "2", "--epochs", "1", "--dataset", dataset,
                "--out", dir.File(name + ".safetensors")], files);

        // PNG: each alone in a folder of images to score.
        var rng = new FuzzRandom(12);
        AddPngFolder("png-16384x16384-rgba16-tiny-data", Resized(CorpusPng.Write(2, 2, 6, 16, false, rng), 16384, 16384), Score, model);
        AddPngFolder("png-17779x11027-gray16-adam7", Resized(CorpusPng.Write(3, 3, 0, 16, true, rng), 17779, 11027), Score, model);
        AddPngFolder("png-real-16384x16384-gray8", BlankGrayPng(16384, 16384), Score, model);
        PngChunkList dict = PngChunkList.TryParse(CorpusPng.Write(28, 28, 0, 8, false, rng))!;
        byte[] z = dict.ImageData();
        dict.ReplaceImageData([0x78, 0x20, 0, 0, 0, 1, .. z.AsSpan(2)], 1); // FDICT set: needs a preset dictionary
        AddPngFolder("png-zlib-preset-dictionary", dict.ToBytes(), Score, model);

        // IDX: as a training folder and as a file to score.
        byte[] bomb = Gzip(Idx([60000, 28, 28]), 1L << 30);
        byte[] full = Gzip(Idx([900_000, 28, 28]), 900_000L * 28 * 28);
        byte[] fullLabels = Gzip(Idx([900_000]), 900_000);
        byte[] wrap = [.. Idx([254, 33820272, 2147380029]), .. new byte[11_936]];
        byte[] labels = Gzip(Idx([60000]), 60000);
        foreach (var (name, images, imagesName, labelBytes) in new[]
        {
            ("idx-gzip-bomb", bomb, "train-images-idx3-ubyte.gz", labels),
            ("idx-gzip-bomb-renamed", bomb, "train-images-idx3-ubyte", labels),
            ("idx-gzip-706-mb-of-blank-images", full, "train-images-idx3-ubyte.gz", fullLabels),
            ("idx-header-product-wraps", wrap, "train-images-idx3-ubyte", Idx([254], new byte[254])),
        })
        {
            string folder = dir.File(name);
            Directory.CreateDirectory(folder);
            string imagesPath = Path.Combine(folder, imagesName);
            File.WriteAllBytes(imagesPath, images);
            string labelsPath = Path.Combine(folder, "train-labels-idx1-ubyte" + (labelBytes[0] == 0x1f ? ".gz" : ""));
            File.WriteAllBytes(labelsPath, labelBytes);
            Train("train-" + name, folder, imagesPath, labelsPath);
            Score("score-" + name, model, imagesPath, imagesPath);
        }

        // Checkpoints: the tiny model with its header edited.
        void Checkpoint(string name, byte[] bytes)
        {
            string path = dir.File(name + ".safetensors");
            File.WriteAllBytes(path, bytes);
            Score("checkpoint-" + name, path, subsetTest, path);
        }
        Checkpoint("options-height-100000-width-1e9", EditOptions(weights, o =>
        {
            o["Network"]!["Height"] = 100_000;
            o["Network"]!["Width"] = 1_000_000_000;
        }));
        Checkpoint("options-iwae-samples-1e8", EditOptions(weights, o => o["IwaeSamples"] = 100_000_000));
        Checkpoint("options-elbo-samples-2147483647", EditOptions(weights, o => o["ElboSamples"] = int.MaxValue));
        Checkpoint("options-network-null", EditOptions(weights, o => o["Network"] = null));
        Checkpoint("options-dense-widths-null", EditOptions(weights, o => o["Network"]!["DenseWidths"] = null));
        Checkpoint("options-kind-minus-1", EditOptions(weights, o => o["Kind"] = -1));
        Checkpoint("options-network-kind-minus-1", EditOptions(weights, o => o["Network"]!["Kind"] = -1));
        Checkpoint("metadata-invalid-utf8", EditMetadata(weights, m => m["epoch"] = JsonMutator.InvalidUtf8Marker(0)));
        Checkpoint("format-version-99", EditMetadata(weights, m => m["latent_format_version"] = "99"));
        Checkpoint("epoch-not-a-number", EditMetadata(weights, m => m["epoch"] = "one"));
        Checkpoint("epoch-negative", EditMetadata(weights, m => m["epoch"] = "-1"));
        CheckpointMutator.TrySplit(weights, out byte[] header, out byte[] data);
        byte[] nan = new byte[data.Length];
        for (int i = 0; i + 4 <= nan.Length; i += 4) BinaryPrimitives.WriteSingleLittleEndian(nan.AsSpan(i), float.NaN);
        Checkpoint("nan-weights", CheckpointMutator.Join(header.Length, header, nan));

        // Kinds added after the issue (the fuzz corpus's seeds): options edited to 4096 x 4096 images, which the
        // options allow but whose weights (800 MB for the MADE, more for the InfoGAN) the file does not hold; and a
        // 1 KB judge whose options ask for 1024 x 1024 images and 1000 classes (4 GB of weights), given to explore --judge.
        foreach (string seed in new[] { "made-4x4", "infogan-8x8" })
            Checkpoint(seed.Split('-')[0] + "-options-4096x4096", EditOptions(File.ReadAllBytes(Path.Combine(FuzzTargets.CorpusDir, "checkpoint", seed + ".safetensors")), o =>
            {
                (o["Height"], o["Width"]) = (4096, 4096);
                if (o["InputShape"] is JsonObject shape) (shape["Height"], shape["Width"]) = (4096, 4096);
            }));
        string judge = dir.File("judge-1024x1024-1000-classes.safetensors");
        File.Copy(Path.Combine(FuzzTargets.CorpusDir, "judge", "bad-options-1024x1024-1000-classes.safetensors"), judge);
        cases["judge-options-1024x1024-1000-classes"] = (["explore", "pairs", "--model-file", model, "--judge", judge, "--out", dir.File("pairs")], [judge]);
    }

    /// <summary>Every case by name.</summary>
    public static IEnumerable<string> Names =>
    [
        "png-16384x16384-rgba16-tiny-data", "png-17779x11027-gray16-adam7", "png-real-16384x16384-gray8", "png-zlib-preset-dictionary",
        .. new[] { "idx-gzip-bomb", "idx-gzip-bomb-renamed", "idx-gzip-706-mb-of-blank-images", "idx-header-product-wraps" }
            .SelectMany(n => new[] { "train-" + n, "score-" + n }),
        .. new[]
        {
            "options-height-100000-width-1e9", "options-iwae-samples-1e8", "options-elbo-samples-2147483647", "options-network-null",
            "options-dense-widths-null", "options-kind-minus-1", "options-network-kind-minus-1", "metadata-invalid-utf8",
            "format-version-99", "epoch-not-a-number", "epoch-negative", "nan-weights", "made-options-4096x4096", "infogan-options-4096x4096",
        }.Select(n => "checkpoint-" + n),
        "judge-options-1024x1024-1000-classes",
    ];

    /// <summary>The command line of a case and the hostile files it reads.</summary>
    public (string[] Args, string[] Files) this[string name] => cases[name];

    public IReadOnlyCollection<string> Generated => cases.Keys;

    /// <summary>A dense VAE trained one epoch by `latent train` on the subset, without its optimiser state.</summary>
    private string TinyCheckpoint()
    {
        string trained = dir.File("trained.safetensors");
        var run = LatentProcess.Run(["train", "--model", "vae", "--arch", "dense", "--latent", "2", "--epochs", "1",
            "--dataset", TestData.SubsetDir, "--out", trained], TimeSpan.FromMinutes(2));
        if (run.ExitCode != 0) throw new InvalidOperationException("training the tiny checkpoint failed: " + run);
        string path = dir.File("weights.safetensors");
        File.WriteAllBytes(path, SafetensorsEdit.DropTensors(File.ReadAllBytes(trained), "optim."));
        return path;
    }

    private void AddPngFolder(string name, byte[] png, Action<string, string, string, string[]> score, string model)
    {
        string folder = dir.File(name);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "image.png");
        File.WriteAllBytes(path, png);
        score(name, model, folder, [path]);
    }

    /// <summary>The PNG with its IHDR size changed (CRC fixed): the data stays that of the small image.</summary>
    private static byte[] Resized(byte[] png, int width, int height)
    {
        PngChunkList list = PngChunkList.TryParse(png)!;
        BinaryPrimitives.WriteInt32BigEndian(list.Chunks[0].Data, width);
        BinaryPrimitives.WriteInt32BigEndian(list.Chunks[0].Data.AsSpan(4), height);
        return list.ToBytes();
    }

    /// <summary>A real, complete 8-bit grey PNG of zeros (filter byte 0 on each row), compressed fast: about 1 MB.</summary>
    private static byte[] BlankGrayPng(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (grey), deflate, adaptive filtering, no interlace
        using var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1];
            for (int y = 0; y < height; y++) z.Write(row);
        }
        var list = new PngChunkList();
        list.Chunks.Add(new PngChunkList.Chunk("IHDR", ihdr));
        list.Chunks.Add(new PngChunkList.Chunk("IDAT", zlib.ToArray()));
        list.Chunks.Add(new PngChunkList.Chunk("IEND", []));
        return list.ToBytes();
    }

    private static byte[] Idx(int[] dims, byte[]? data = null) => FuzzCorpus.IdxBytes(dims, data ?? []);

    /// <summary>Gzip of <paramref name="head"/> followed by <paramref name="zeros"/> zero bytes.</summary>
    private static byte[] Gzip(byte[] head, long zeros)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(head);
            var chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.Length) gz.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
        }
        return ms.ToArray();
    }

    private static byte[] EditMetadata(byte[] checkpoint, Action<JsonObject> edit) => SafetensorsEdit.Header(checkpoint, root =>
        edit(root["__metadata__"]!.AsObject()));

    private static byte[] EditOptions(byte[] checkpoint, Action<JsonObject> edit) => EditMetadata(checkpoint, m =>
    {
        JsonObject options = JsonNode.Parse(m["options"]!.GetValue<string>())!.AsObject();
        edit(options);
        m["options"] = options.ToJsonString();
    });

    public string FileIn(string name) => dir.File(name);

    public void Dispose() => dir.Dispose();
}

// Writes the fuzz corpus committed under tests/Latent.Tests/Fixtures/Fuzz (regenerate with
// `scripts/fuzz.sh --make-corpus`), one folder per target, each file a few KB (at most 40 KB):
//   idx/         tiny IDX files cut from the committed MNIST subset (1 to 4 dimensions), two of them gzipped, and
//                bad-* headers from issue 12 (254 x 33820272 x 2147380029, whose 64-bit product wraps to 11,936)
//   png/         5 x 7 images of every colour type and bit depth, plain and Adam7, with all five filters, palette
//                images with tRNS, and bad-* files from issue 12 (16384 x 16384 RGBA16 with tiny data, 17779 x 11027
//                16-bit interlaced, zlib data needing a preset dictionary)
//   checkpoint/  tiny models trained one epoch on 7 x 7 downsampled MNIST 3s by AutoencoderTrainer, the code that
//                writes `latent train`'s checkpoints (the CLI's smallest networks are over 1 MB: it has no option for
//                hidden widths), and bad-* variants of the VAE from issue 12 (invalid UTF-8 in the metadata,
//                "Network": null, "Kind": -1, ElboSamples 2^31 - 1, Height 100000 with Width 1e9, IwaeSamples 1e8,
//                NaN weights, an unknown format version, a negative or non-numeric epoch); the density models on
//                4 x 4 8-bit images (made, maf, realnvp with their background networks, pixelcnn) and bigan and infogan
//                on 8 x 8, each trained one epoch, and a PixelCNN from before the mean training nll (NaN on load)
//   judge/       a logistic-regression judge of 4 x 4 images (`latent explore --judge`), and bad-* options that ask
//                for 1024 x 1024 x 1000 classes (4 GB of weights from a 1 KB file) or a cnn of 6 x 6 images
// The image-folder target reads the png/ seeds (ImageFolder.Load, as `train --dataset FOLDER` and `score --input`).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Latent.Data;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Classical;
using Latent.Models.Networks;
using Latent.Models.Training;

namespace Latent.Tests.Fuzz;

public static class FuzzCorpus
{
    /// <summary>Every corpus file by relative path ("png/gray1.png").</summary>
    public static SortedDictionary<string, byte[]> Build()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        AddIdx(files);
        AddPng(files);
        AddCheckpoints(files);
        AddDensityCheckpoints(files);
        AddJudges(files);
        return files;
    }

    public static void Write(string dir)
    {
        foreach (var (name, bytes) in Build())
        {
            string path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    private static void AddIdx(SortedDictionary<string, byte[]> files)
    {
        var (dims, pixels) = Idx.Read(Path.Combine(TestData.SubsetDir, "train-images-idx3-ubyte"));
        var (_, labels) = Idx.Read(Path.Combine(TestData.SubsetDir, "train-labels-idx1-ubyte"));
        int h = dims[1], w = dims[2];
        byte[] Crop(int n, int size) =>
            [.. Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, size).SelectMany(y => pixels.AsSpan(i * h * w + (10 + y) * w + 10, size).ToArray()))];
        files["idx/images-3x28x28-idx3-ubyte"] = IdxBytes([3, h, w], pixels.AsSpan(0, 3 * h * w));
        files["idx/images-4x8x8-idx3-ubyte"] = IdxBytes([4, 8, 8], Crop(4, 8));
        files["idx/labels-5-idx1-ubyte"] = IdxBytes([5], labels.AsSpan(0, 5));
        files["idx/matrix-3x5-idx2-ubyte"] = IdxBytes([3, 5], Crop(1, 4).AsSpan(0, 15));
        files["idx/tensor-2x2x2x3-idx4-ubyte"] = IdxBytes([2, 2, 2, 3], Crop(1, 5).AsSpan(0, 24));
        files["idx/images-4x8x8-idx3-ubyte.gz"] = Compression.Gzip(files["idx/images-4x8x8-idx3-ubyte"], CompressionLevel.SmallestSize);
        files["idx/labels-5-idx1-ubyte.gz"] = Compression.Gzip(files["idx/labels-5-idx1-ubyte"], CompressionLevel.SmallestSize);
        files["idx/bad-wrapping-254x33820272x2147380029-idx3-ubyte"] = IdxBytes([254, 33820272, 2147380029], new byte[11_936]);
        files["idx/bad-overflowing-3x2147483647-idx3-ubyte"] = IdxBytes([int.MaxValue, int.MaxValue, int.MaxValue], new byte[16]);
    }

    public static byte[] IdxBytes(int[] dims, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var b = new byte[4 + 4 * dims.Length + data.Length];
        b[2] = 0x08;
        b[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(b.AsSpan(4 + 4 * dims.Length));
        return b;
    }

    private static void AddPng(SortedDictionary<string, byte[]> files)
    {
        var rng = new FuzzRandom(2024);
        foreach ((int color, int depth) in CorpusPng.Formats)
        {
            string kind = color switch { 0 => "gray", 2 => "rgb", 3 => "palette", 4 => "graya", _ => "rgba" };
            int palette = color == 3 ? Math.Min(1 << depth, 10) : 0;
            files[$"png/{kind}{depth}.png"] = CorpusPng.Write(5, 7, color, depth, false, rng, palette);
            files[$"png/{kind}{depth}-adam7.png"] = CorpusPng.Write(5, 7, color, depth, true, rng, palette);
        }
        files["png/palette8-trns.png"] = CorpusPng.Write(5, 7, 3, 8, false, rng, 10, transparency: true);
        files["png/palette2-trns-adam7.png"] = CorpusPng.Write(5, 7, 3, 2, true, rng, 4, transparency: true);
        files["png/bad-16384x16384-rgba16.png"] = Resized(CorpusPng.Write(2, 2, 6, 16, false, rng), 16384, 16384);
        files["png/bad-17779x11027-gray16-adam7.png"] = Resized(CorpusPng.Write(3, 3, 0, 16, true, rng), 17779, 11027);
        // zlib header 78 20: FDICT set (RFC 1950 section 2.2), so inflating needs a preset dictionary the PNG cannot give.
        PngChunkList dict = PngChunkList.TryParse(CorpusPng.Write(5, 7, 0, 8, false, rng))!;
        byte[] z = dict.ImageData();
        dict.ReplaceImageData([0x78, 0x20, 0, 0, 0, 1, .. z.AsSpan(2)], 1);
        files["png/bad-zlib-preset-dictionary.png"] = dict.ToBytes();
    }

    /// <summary>The PNG with its IHDR size changed (CRC fixed): the data stays that of the small image.</summary>
    private static byte[] Resized(byte[] png, int width, int height)
    {
        PngChunkList list = PngChunkList.TryParse(png)!;
        BinaryPrimitives.WriteInt32BigEndian(list.Chunks[0].Data, width);
        BinaryPrimitives.WriteInt32BigEndian(list.Chunks[0].Data.AsSpan(4), height);
        return list.ToBytes();
    }

    private static void AddCheckpoints(SortedDictionary<string, byte[]> files)
    {
        var vae = new AutoencoderOptions
        {
            Kind = AutoencoderKind.Vae,
            Network = new NetworkOptions { Kind = NetworkKind.Dense, Height = 7, Width = 7, Latent = 2, DenseWidths = [3] },
            Training = new TrainingOptions { BatchSize = 10, Seed = 1 },
            ElboSamples = 2,
            IwaeSamples = 2,
        };
        var conv = vae with
        {
            Kind = AutoencoderKind.Ae,
            Network = new NetworkOptions { Kind = NetworkKind.Conv, Height = 7, Width = 7, Latent = 2, ConvChannels = [2, 2], DecoderExtraConv = false },
        };
        var aae = vae with { Kind = AutoencoderKind.Aae, DiscriminatorWidth = 3, Network = vae.Network with { BatchNorm = true } };
        files["checkpoint/vae-dense-7x7.safetensors"] = Trained(vae);
        files["checkpoint/ae-conv-7x7.safetensors"] = Trained(conv);
        files["checkpoint/aae-dense-batchnorm-7x7.safetensors"] = Trained(aae);
        // every other parser behind ModelFile.Load: the classical kinds' exact state (metadata JSON of doubles), the
        // GAN family's options, and the conformal calibration scores (metadata JSON)
        files["checkpoint/pca-7x7.safetensors"] = Fitted("pca", 3);
        files["checkpoint/knn-7x7.safetensors"] = Fitted("knn", null);
        // the transport settings (pool, cap, orientation bins and turn cost) as stored options
        files["checkpoint/knn-emd-oriented-7x7.safetensors"] = Fitted("knn", null, o => (KnnOptions)o with
        {
            Metric = DistanceMetric.Emd, Rerank = 3, Pool = 1, Threshold = 2, Orientations = 4, OrientationCost = 3,
        });
        files["checkpoint/gan-2ch-8x8.safetensors"] = TrainedGan();
        files["checkpoint/vae-dense-7x7-calibrated.safetensors"] = Calibrated(vae);

        byte[] v = files["checkpoint/vae-dense-7x7.safetensors"];
        files["checkpoint/bad-epoch-invalid-utf8.safetensors"] = EditMetadata(v, m => m[ModelFile.EpochKey] = JsonMutator.InvalidUtf8Marker(0));
        files["checkpoint/bad-epoch-negative.safetensors"] = EditMetadata(v, m => m[ModelFile.EpochKey] = "-1");
        files["checkpoint/bad-epoch-not-a-number.safetensors"] = EditMetadata(v, m => m[ModelFile.EpochKey] = "one");
        files["checkpoint/bad-format-version-99.safetensors"] = EditMetadata(v, m => m["latent_format_version"] = "99");
        files["checkpoint/bad-options-network-null.safetensors"] = EditOptions(v, o => o["Network"] = null);
        files["checkpoint/bad-options-densewidths-null.safetensors"] = EditOptions(v, o => o["Network"]!["DenseWidths"] = null);
        files["checkpoint/bad-options-kind-minus1.safetensors"] = EditMetadata(EditOptions(v, o => o["Kind"] = -1), m => m["model_type"] = "latent.autoencoder.-1");
        files["checkpoint/bad-options-network-kind-minus1.safetensors"] = EditOptions(v, o => o["Network"]!["Kind"] = -1);
        files["checkpoint/bad-options-elbo-samples-2147483647.safetensors"] = EditOptions(v, o => o["ElboSamples"] = int.MaxValue);
        files["checkpoint/bad-options-iwae-samples-1e8.safetensors"] = EditOptions(v, o => o["IwaeSamples"] = 100_000_000);
        files["checkpoint/bad-options-height-100000-width-1e9.safetensors"] = EditOptions(v, o =>
        {
            o["Network"]!["Height"] = 100_000;
            o["Network"]!["Width"] = 1_000_000_000;
        });
        CheckpointMutator.TrySplit(v, out byte[] header, out byte[] data);
        byte[] nan = new byte[data.Length];
        for (int i = 0; i + 4 <= nan.Length; i += 4) BinaryPrimitives.WriteSingleLittleEndian(nan.AsSpan(i), float.NaN);
        files["checkpoint/bad-nan-weights.safetensors"] = CheckpointMutator.Join(header.Length, header, nan);
    }

    /// <summary>The exact-likelihood kinds (their 8-bit density, dequantisation and background network) and the
    /// other GANs, each one epoch on tiny 8-bit images; an old PixelCNN without its mean training nll.</summary>
    private static void AddDensityCheckpoints(SortedDictionary<string, byte[]> files)
    {
        Samples fours = EightBit(Pooled(7)), eights = EightBit(Padded8(Sevens()));
        foreach (var kind in new[] { Latent.Models.Flows.FlowKind.Made, Latent.Models.Flows.FlowKind.Maf, Latent.Models.Flows.FlowKind.RealNvp })
        {
            // made with its background network (the likelihood-ratio score); maf and realnvp without (smaller files)
            var options = Models.Flows.FlowTestData.Tiny(kind, fours.Shape, mutation: kind == Latent.Models.Flows.FlowKind.Made ? 0.2f : 0f)
                with { Hidden = 4, Blocks = kind == Latent.Models.Flows.FlowKind.Maf ? 2 : 1 };
            files[$"checkpoint/{kind.ToString().ToLowerInvariant()}-4x4.safetensors"] =
                InTemporaryFile(path => new Trainer(((TrainedModelEntry)ModelRegistry.Get(options.ModelName)).Create(options)) { CheckpointPath = path }.Train(fours, 0, 1));
        }
        var pixel = Models.Autoregressive.PixelCnnTests.Tiny(1, 4, 4) with { Hidden = 2, OutputHidden = 2, Blocks = 1, MutationRate = 0f };
        byte[] pixelcnn = InTemporaryFile(path => new Trainer(new Latent.Models.Autoregressive.PixelCnn(pixel)) { CheckpointPath = path }.Train(fours, 0, 1));
        files["checkpoint/pixelcnn-4x4.safetensors"] = pixelcnn;
        files["checkpoint/pixelcnn-4x4-before-mean.safetensors"] = Reliability.SafetensorsEdit.DropTensors(pixelcnn, Latent.Models.Autoregressive.PixelCnn.MeanBuffer);
        files["checkpoint/bigan-8x8.safetensors"] = TrainedGan(Latent.Models.Gans.GanKind.Bigan, eights);
        files["checkpoint/infogan-8x8.safetensors"] = TrainedGan(Latent.Models.Gans.GanKind.Infogan, eights);
    }

    /// <summary>A judge (logistic regression of 4 x 4 images, its initial weights), and options that must be refused.</summary>
    private static void AddJudges(SortedDictionary<string, byte[]> files)
    {
        var options = Latent.Models.Exploration.Judges.JudgeOptions.For(Latent.Models.Exploration.Judges.JudgeKind.Logreg) with { Height = 4, Width = 4, Epochs = 1, BatchSize = 10 };
        var judge = new Latent.Models.Exploration.Judges.Judge(options);
        byte[] valid = InTemporaryFile(path => Latent.Models.Exploration.Judges.JudgeFile.Save(path, judge, 0.5));
        files["judge/logreg-4x4.safetensors"] = valid;
        files["judge/bad-options-1024x1024-1000-classes.safetensors"] = EditMetadata(valid, m =>
        {
            JsonObject o = JsonNode.Parse(m["options"]!.GetValue<string>())!.AsObject();
            (o["Height"], o["Width"], o["Classes"]) = (1024, 1024, 1000);
            m["options"] = o.ToJsonString();
        });
        files["judge/bad-options-cnn-6x6.safetensors"] = EditMetadata(valid, m =>
        {
            JsonObject o = JsonNode.Parse(m["options"]!.GetValue<string>())!.AsObject();
            (o["Kind"], o["Height"], o["Width"]) = ("cnn", 6, 6);
            m["options"] = o.ToJsonString();
        });
    }

    /// <summary>Images rounded to the 8-bit levels k / 255 the density models take.</summary>
    private static Samples EightBit(Samples s)
    {
        var x = s.X.ToArray();
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Round(x[i] * 255f) / 255f;
        return new Samples(x, s.Count, s.Shape);
    }

    /// <summary>7 x 7 images padded to 8 x 8 (the DCGAN halves the side twice).</summary>
    private static Samples Padded8(Samples sevens)
    {
        var x = new float[sevens.Count * 64];
        for (int n = 0; n < sevens.Count; n++)
            for (int y = 0; y < 7; y++) sevens.Row(n).Slice(y * 7, 7).CopyTo(x.AsSpan(n * 64 + y * 8, 7));
        return new Samples(x, sevens.Count, ImageShape.Gray(8, 8));
    }

    /// <summary>One epoch of the shared Trainer on 7 x 7 MNIST 3s; the checkpoint it writes.</summary>
    private static byte[] Trained(AutoencoderOptions options) =>
        InTemporaryFile(path => new Trainer(AutoencoderModel.Create(options)) { CheckpointPath = path }.Train(Sevens(), 0, 1));

    /// <summary>A classical kind fitted on the 7 x 7 threes and saved (epoch 0).</summary>
    private static byte[] Fitted(string kind, int? latent, Func<ModelOptions, ModelOptions>? edit = null)
    {
        var entry = ModelRegistry.Get(kind);
        var data = Sevens();
        var options = entry.Adapt(entry.Defaults(latent, data.Shape), latent, data.Shape);
        var model = entry.Fit(data, [new FitItem(edit is null ? options : edit(options))], FitContext.None)[0];
        return InTemporaryFile(path => ModelFile.Save(path, entry, model));
    }

    /// <summary>One epoch of a tiny GAN-family model (2-channel networks, within the corpus's 40 KB a file) on 8 x 8
    /// images (the 7 x 7 threes padded: the DCGAN halves the side twice).</summary>
    private static byte[] TrainedGan(Latent.Models.Gans.GanKind kind = Latent.Models.Gans.GanKind.Gan, Samples? images = null)
    {
        var options = Models.Gans.GanTestData.Tiny(kind, latent: 2) with
        {
            Height = 8, Width = 8, GeneratorChannels = [2, 2], DiscriminatorChannels = [2, 2], JointWidth = 4, Categories = 2, ContinuousCodes = 1,
        };
        var model = ((TrainedModelEntry)ModelRegistry.Get(kind.ToString().ToLowerInvariant())).Create(options);
        return InTemporaryFile(path => new Trainer(model) { CheckpointPath = path }.Train(images ?? Padded8(Sevens()), 0, 1));
    }

    /// <summary>The VAE of <see cref="Trained"/> saved again with conformal calibration scores (20 % of the threes).</summary>
    private static byte[] Calibrated(AutoencoderOptions options) => InTemporaryFile(path =>
    {
        var model = AutoencoderModel.Create(options);
        var data = Sevens();
        new Trainer(model).Train(data, 0, 1);
        var calibration = Latent.Models.Conformal.ConformalCalibration.Of(new Latent.Models.Scores.GenerativeScores(model, ["recon"]),
            data.Slice(0, data.Count / 5), 0.2, 0);
        ModelFile.Save(path, model, 1, calibration);
    });

    private static byte[] InTemporaryFile(Action<string> write)
    {
        string dir = Directory.CreateTempSubdirectory("latent-fuzz-corpus-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            write(path);
            return File.ReadAllBytes(path);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The subset's training 3s, average-pooled 4 x 4 to 7 x 7.</summary>
    private static Samples Sevens() => Pooled(4);

    /// <summary>The subset's training 3s, average-pooled <paramref name="pool"/> x <paramref name="pool"/>.</summary>
    private static Samples Pooled(int pool)
    {
        ImageSet threes = TestData.SubsetTrain.OfClass(3);
        int size = 28 / pool;
        var x = new float[threes.Count * size * size];
        for (int n = 0; n < threes.Count; n++)
            for (int y = 0; y < size; y++)
                for (int c = 0; c < size; c++)
                {
                    float s = 0;
                    for (int dy = 0; dy < pool; dy++)
                        for (int dx = 0; dx < pool; dx++) s += threes.Pixels[n * 784 + (y * pool + dy) * 28 + c * pool + dx];
                    x[(n * size + y) * size + c] = s / (pool * pool);
                }
        return new Samples(x, threes.Count, ImageShape.Gray(size, size));
    }

    private static byte[] EditMetadata(byte[] checkpoint, Action<JsonObject> edit)
    {
        CheckpointMutator.TrySplit(checkpoint, out byte[] header, out byte[] data);
        JsonNode root = JsonNode.Parse(Encoding.UTF8.GetString(header))!;
        edit(root["__metadata__"]!.AsObject());
        byte[] h = JsonMutator.ToUtf8(root);
        return CheckpointMutator.Join(h.Length, h, data);
    }

    private static byte[] EditOptions(byte[] checkpoint, Action<JsonObject> edit) => EditMetadata(checkpoint, m =>
    {
        JsonObject options = JsonNode.Parse(m["options"]!.GetValue<string>())!.AsObject();
        edit(options);
        m["options"] = options.ToJsonString();
    });
}

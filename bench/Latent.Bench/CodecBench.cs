// `codecs`: the project's PNG decoder (Png/PngDecoder) against ImageSharp 2.1's, to decide whether to keep both
// (issue 18 item 4: "keep one codec unless measurements say otherwise"). Correctness first: every committed PNG fixture
// (tests/Latent.Tests/Fixtures/Reporting/png, each with its expected 8-bit pixels in a .raw file written by Pillow or by
// hand) decoded by both, compared level for level as RGB planes in [0, 1]. Then decode speed on two workloads: 2,000
// MNIST test digits as 28 x 28 gray PNGs (the dataset-sized case: a folder of small images), and 20 photo-sized
// 512 x 512 RGB PNGs (smooth gradients plus noise), each encoded once by ImageSharp's PNG encoder so that neither
// decoder reads its own encoder's output; best of 5 rounds, images/s and MB/s of PNG input.
using System.Diagnostics;
using System.Globalization;
using Latent.Data.Images;
using Latent.Data.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Latent.Bench;

internal static class CodecBench
{
    public static int Run(string[] args)
    {
        string fixtures = args.Length > 1 ? args[1] : Path.Combine("tests", "Latent.Tests", "Fixtures", "Reporting", "png");
        int bad = Correctness(fixtures);
        var digits = Digits(2000);
        var photos = Photos(20, 512);
        Time("28x28 gray digits (MNIST test)", digits);
        Time("512x512 RGB photos (synthetic)", photos);
        Hostile(digits[0]);
        return bad == 0 ? 0 : 1;
    }

    private static int Correctness(string dir)
    {
        int bad = 0, n = 0;
        foreach (string line in File.ReadAllLines(Path.Combine(dir, "index.txt")))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 4) continue;
            byte[] png = File.ReadAllBytes(Path.Combine(dir, f[0] + ".png"));
            var expected = new PngImage(int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                Enum.Parse<Latent.Data.Png.PixelFormat>(f[3]), File.ReadAllBytes(Path.Combine(dir, f[0] + ".raw")));
            float[] want = expected.ToRgbFloats();
            string Check(Func<PngImage> decode)
            {
                try
                {
                    float[] got = decode().ToRgbFloats();
                    if (got.Length != want.Length) return $"{got.Length} values, expected {want.Length}";
                    int diff = 0;
                    double worst = 0;
                    for (int i = 0; i < got.Length; i++)
                        if (Math.Abs(got[i] - want[i]) > 1e-6) { diff++; worst = Math.Max(worst, Math.Abs(got[i] - want[i]) * 255); }
                    return diff == 0 ? "exact" : $"{diff} of {got.Length} levels differ (up to {worst:0.#} of 255)";
                }
#pragma warning disable CA1031 // a decoder's failure is the measurement
                catch (Exception e) { return $"error {e.GetType().Name}: {e.Message}"; }
#pragma warning restore CA1031
            }
            string ours = Check(() => PngDecoder.Decode(png)), sharp = Check(() => ImageFile.DecodeWithImageSharp(png));
            Console.WriteLine($"fixture {f[0],-26} ours: {ours,-40} ImageSharp: {sharp}");
            n++;
            if (ours != "exact") bad++;
        }
        Console.WriteLine($"{n} fixtures; ours exact on {n - bad}");
        return bad;
    }

    /// <summary>Two hostile PNGs: a digit cut at 70 % of its bytes (truncated), and a header declaring 8192 x 8192 gray
    /// pixels (64 Mpixel, within the default limits) followed by 1 KB of deflate data: each decoder's answer, time and
    /// allocation.</summary>
    private static void Hostile(byte[] digit)
    {
        byte[] truncated = digit[..(digit.Length * 7 / 10)];
        using var z = new MemoryStream();
        using (var zs = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            zs.Write(new byte[1 + 8192]);
        byte[] idat = z.ToArray();
        byte[] bomb = [.. Signature, .. Chunk("IHDR", [0, 0, 0x20, 0, 0, 0, 0x20, 0, 8, 0, 0, 0, 0]), .. Chunk("IDAT", idat), .. Chunk("IEND", [])];
        foreach (var (what, file) in new[] { ("truncated digit (70 % of its bytes)", truncated), ($"bomb: 8192 x 8192 header, {bomb.Length} bytes", bomb) })
            foreach (var (name, decode) in new (string, Func<byte[], PngImage>)[] { ("ours", b => PngDecoder.Decode(b)), ("ImageSharp", b => ImageFile.DecodeWithImageSharp(b)) })
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                string outcome;
                try
                {
                    PngImage img = decode(file);
                    outcome = $"accepted as {img.Width} x {img.Height}";
                }
#pragma warning disable CA1031 // the refusal is the measurement
                catch (Exception e) { outcome = $"refused ({e.GetType().Name}: {e.Message})"; }
#pragma warning restore CA1031
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"hostile {what}: {name} {outcome} in {sw.Elapsed.TotalMilliseconds:0.0} ms, {(GC.GetAllocatedBytesForCurrentThread() - before) / 1e6:0.0} MB allocated"));
            }
    }

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] body = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        uint crc = 0xFFFFFFFF;
        foreach (byte b in body)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        crc ^= 0xFFFFFFFF;
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. body,
            (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static List<byte[]> Digits(int count)
    {
        string cache = Environment.GetEnvironmentVariable("LATENT_DATA") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "latent");
        var (dims, data) = Latent.Data.Idx.Read(Path.Combine(cache, "mnist", "t10k-images-idx3-ubyte"));
        int hw = dims[1] * dims[2];
        var list = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            using var img = Image.LoadPixelData<L8>(data.AsSpan(i * hw, hw), dims[2], dims[1]);
            using var ms = new MemoryStream();
            img.SaveAsPng(ms);
            list.Add(ms.ToArray());
        }
        return list;
    }

    private static List<byte[]> Photos(int count, int side)
    {
        var rng = new Random(5);
        var list = new List<byte[]>(count);
        for (int k = 0; k < count; k++)
        {
            var px = new byte[side * side * 3];
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    for (int c = 0; c < 3; c++)
                        px[(y * side + x) * 3 + c] = (byte)Math.Clamp((x * (c + 1) + y * (3 - c)) / 4 + k * 7 + rng.Next(-12, 13), 0, 255);
            using var img = Image.LoadPixelData<Rgb24>(px, side, side);
            using var ms = new MemoryStream();
            img.SaveAsPng(ms);
            list.Add(ms.ToArray());
        }
        return list;
    }

    private static void Time(string what, List<byte[]> files)
    {
        double mb = files.Sum(f => (double)f.Length) / 1e6;
        double Best(Func<byte[], PngImage> decode)
        {
            foreach (byte[] f in files.Take(20)) decode(f);   // warm up
            double best = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                var sw = Stopwatch.StartNew();
                foreach (byte[] f in files) decode(f);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            return best;
        }
        double ours = Best(b => PngDecoder.Decode(b)), sharp = Best(b => ImageFile.DecodeWithImageSharp(b));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {files.Count} files, {mb:0.00} MB; ours {files.Count / ours:0} img/s ({mb / ours:0.0} MB/s), ImageSharp {files.Count / sharp:0} img/s ({mb / sharp:0.0} MB/s); ours/ImageSharp time {ours / sharp:0.00}"));
    }
}

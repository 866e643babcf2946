// A small PNG writer for the fuzz corpus, independent of Latent's encoder (which writes 8-bit images only): every
// colour type at every bit depth it allows (PNG specification, table 11.1), plain or Adam7-interlaced (section
// 8.2), rows filtered in turn with None, Sub, Up, Average and Paeth (section 9), so the seeds take the decoder
// through every unfiltering and unpacking path.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Tests.Fuzz;

public static class CorpusPng
{
    /// <summary>(colour type, bit depth) pairs the specification allows.</summary>
    public static readonly (int Color, int Depth)[] Formats =
        [(0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16)];

    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>A width x height image of random samples; palette images get <paramref name="paletteSize"/> entries (and tRNS alpha if asked).</summary>
    public static byte[] Write(int width, int height, int color, int depth, bool interlaced, FuzzRandom rng, int paletteSize = 0, bool transparency = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int samples = color switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int maxSample = color == 3 ? paletteSize - 1 : (1 << depth) - 1;
        var image = new int[height, width * samples];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width * samples; x++) image[y, x] = rng.Next(maxSample + 1);

        using var raw = new MemoryStream();
        int bpp = Math.Max(1, samples * depth / 8), filter = 0;
        foreach ((int x0, int y0, int dx, int dy) in interlaced ? Adam7 : [(0, 0, 1, 1)])
        {
            int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int stride = (pw * samples * depth + 7) / 8;
            var prior = new byte[stride];
            for (int j = 0; j < ph; j++)
            {
                var row = new byte[stride];
                for (int i = 0; i < pw * samples; i++) Pack(row, i, depth, image[y0 + j * dy, (x0 + i / samples * dx) * samples + i % samples]);
                raw.WriteByte((byte)filter);
                raw.Write(Filter(filter, row, prior, bpp));
                prior = row;
                filter = (filter + 1) % 5;
            }
        }

        using var png = new MemoryStream();
        png.Write(PngChunkList.Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)color;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (color == 3)
        {
            var plte = new byte[3 * paletteSize];
            for (int i = 0; i < plte.Length; i++) plte[i] = (byte)rng.Next(256);
            Chunk(png, "PLTE", plte);
            if (transparency)
            {
                var alpha = new byte[Math.Max(1, paletteSize / 2)];
                for (int i = 0; i < alpha.Length; i++) alpha[i] = (byte)rng.Next(256);
                Chunk(png, "tRNS", alpha);
            }
        }
        Chunk(png, "IDAT", Compression.Zlib(raw.ToArray(), CompressionLevel.SmallestSize));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Sample <paramref name="index"/> of a row at <paramref name="depth"/> bits, MSB first (16-bit big-endian).</summary>
    private static void Pack(byte[] row, int index, int depth, int value)
    {
        if (depth == 16) { row[2 * index] = (byte)(value >> 8); row[2 * index + 1] = (byte)value; return; }
        if (depth == 8) { row[index] = (byte)value; return; }
        int bit = index * depth;
        row[bit / 8] |= (byte)(value << (8 - depth - bit % 8));
    }

    /// <summary>The filtered row (section 9.2): x - predictor(a = left, b = up, c = up-left), bytes wrapping.</summary>
    private static byte[] Filter(int type, byte[] row, byte[] prior, int bpp)
    {
        var f = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => Paeth(a, b, c),
            };
            f[i] = (byte)(row[i] - predictor);
        }
        return f;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static void Chunk(Stream s, string type, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(data);
        var list = new PngChunkList();
        list.Chunks.Add(new PngChunkList.Chunk(type, data));
        s.Write(list.ToBytes().AsSpan(8));
    }
}

// PNG-aware mutations. Most PNG damage is stopped by the chunk CRC, so this mutator usually recomputes the CRC of
// the chunk it changed (and sometimes, on purpose, does not) to reach the decoder's later stages:
//   - IHDR fields set to boundary values (sizes 0, 1, 16384, 2^31 - 1, 2^31, ..., every depth and colour type);
//   - the IDAT stream inflated, its raw scanlines mutated (filter-type bytes, samples, length), recompressed
//     at a random level and split over 1 to 3 IDAT chunks;
//   - one chunk's data mutated byte-wise, or its length field made inconsistent;
//   - chunks deleted, duplicated, reordered, or brought in from another corpus PNG (PLTE, tRNS, a second IHDR),
//     unknown critical and ancillary chunks, an early IEND;
//   - and format-blind byte mutations of the whole file (no fix-ups).
using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Tests.Fuzz;

public sealed class PngMutator : IInputMutator
{
    private static readonly long[] Sizes = [0, 1, 2, 3, 7, 8, 9, 255, 256, 16384, 17779, 11027, 65535, 65536, 1 << 24, int.MaxValue, 0x80000000L, 0xFFFFFFFFL];
    private static readonly int[] Depths = [0, 1, 2, 3, 4, 8, 16, 32, 255];
    private static readonly string[] ExtraTypes = ["PLTE", "tRNS", "IHDR", "IEND", "IDAT", "abCD", "teXt", "gAMA", "zzzz"];

    public byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(pool);
        PngChunkList? png = PngChunkList.TryParse(input);
        int op = rng.Next(100);
        if (png is null || png.Chunks.Count == 0 || op < 15) return ByteMutator.Mutate(input, rng, pool);
        bool fixCrc = rng.Chance(0.9);
        if (op < 35) MutateHeader(png, rng);
        else if (op < 65) { if (!MutateScanlines(png, rng, pool)) MutateChunkData(png, rng, pool); }
        else if (op < 85) MutateChunkData(png, rng, pool);
        else MutateChunkList(png, rng, pool);
        if (!fixCrc)
        {
            PngChunkList.Chunk c = rng.Pick(png.Chunks);
            c.StoredCrc = PngChunkList.ChunkCrc(c.Type, c.Data) ^ (1u << rng.Next(32));
        }
        if (rng.Chance(0.1)) png.Tail = rng.Chance(0.5) ? [] : [.. png.Tail, .. new byte[rng.Between(1, 16)]];
        byte[] result = png.ToBytes();
        return result.Length > ByteMutator.MaxLength ? result[..ByteMutator.MaxLength] : result;
    }

    /// <summary>IHDR: width, height (big-endian uint32), bit depth, colour type, compression, filter, interlace.</summary>
    private static void MutateHeader(PngChunkList png, FuzzRandom rng)
    {
        PngChunkList.Chunk? ihdr = png.Chunks.Find(c => c.Type == "IHDR");
        if (ihdr is null || ihdr.Data.Length != 13) { ihdr ??= png.Chunks[0]; ihdr.Data = new byte[13]; ihdr.Data[8] = 8; }
        byte[] d = ihdr.Data;
        int fields = rng.Between(1, 3);
        for (int f = 0; f < fields; f++)
        {
            switch (rng.Next(7))
            {
                case 0: BinaryPrimitives.WriteUInt32BigEndian(d, (uint)rng.Pick(Sizes)); break;
                case 1: BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), (uint)rng.Pick(Sizes)); break;
                case 2: d[8] = (byte)rng.Pick(Depths); break;
                case 3: d[9] = (byte)rng.Next(8); break;
                case 4: d[10] = (byte)rng.Pick(new[] { 0, 1, 255 }); break;
                case 5: d[11] = (byte)rng.Pick(new[] { 0, 1, 255 }); break;
                default: d[12] = (byte)rng.Pick(new[] { 0, 1, 1, 2, 255 }); break;
            }
        }
    }

    /// <summary>Inflates the IDAT stream, mutates the filtered scanlines, recompresses. False when the stream does not inflate.</summary>
    private static bool MutateScanlines(PngChunkList png, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        byte[]? raw = Compression.TryUnzlib(png.ImageData());
        if (raw is null || raw.Length == 0) return false;
        var b = new List<byte>(raw);
        int ops = rng.Between(1, 4);
        for (int i = 0; i < ops && b.Count > 0; i++)
        {
            int stride = RowStride(png);
            if (stride > 0 && rng.Chance(0.3))
            {
                // A filter-type byte (row starts of a non-interlaced image): 0..4 are valid, 5 and 255 are not.
                int row = rng.Next(Math.Max(1, b.Count / (stride + 1)));
                if (row * (stride + 1) < b.Count) b[row * (stride + 1)] = (byte)rng.Pick(new[] { 0, 1, 2, 3, 4, 5, 255 });
            }
            else if (rng.Chance(0.15))
            {
                // Too little or too much image data after inflation.
                if (rng.Chance(0.5)) { int keep = rng.Next(b.Count); b.RemoveRange(keep, b.Count - keep); }
                else b.AddRange(new byte[rng.Between(1, 64)]);
            }
            else ByteMutator.MutateOnce(b, rng, pool);
        }
        if (b.Count > Compression.MaxInflated) b.RemoveRange(Compression.MaxInflated, b.Count - Compression.MaxInflated);
        CompressionLevel level = rng.Pick(new[] { CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize });
        byte[] z = Compression.Zlib([.. b], level);
        if (z.Length > 0 && rng.Chance(0.1)) z = z[..rng.Next(z.Length)];   // a cut stream: damaged zlib data with a valid CRC
        png.ReplaceImageData(z, rng.Between(1, 3));
        return true;
    }

    /// <summary>Bytes per scanline (without the filter byte) of a non-interlaced image, or 0 when unknown.</summary>
    private static int RowStride(PngChunkList png)
    {
        PngChunkList.Chunk? ihdr = png.Chunks.Find(c => c.Type == "IHDR");
        if (ihdr is null || ihdr.Data.Length != 13 || ihdr.Data[12] != 0) return 0;
        long w = BinaryPrimitives.ReadUInt32BigEndian(ihdr.Data);
        int samples = ihdr.Data[9] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        long stride = (w * samples * ihdr.Data[8] + 7) / 8;
        return stride is > 0 and < 1 << 16 ? (int)stride : 0;
    }

    private static void MutateChunkData(PngChunkList png, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        PngChunkList.Chunk c = rng.Pick(png.Chunks);
        var b = new List<byte>(c.Data);
        int ops = rng.Between(1, 4);
        for (int i = 0; i < ops; i++) ByteMutator.MutateOnce(b, rng, pool);
        c.Data = [.. b];
        c.StoredCrc = null;
    }

    private static void MutateChunkList(PngChunkList png, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        List<PngChunkList.Chunk> chunks = png.Chunks;
        int i = rng.Next(chunks.Count), j = rng.Next(chunks.Count);
        switch (rng.Next(5))
        {
            case 0: if (chunks.Count > 1) chunks.RemoveAt(i); break;
            case 1: chunks.Insert(j, new PngChunkList.Chunk(chunks[i].Type, (byte[])chunks[i].Data.Clone())); break;
            case 2: (chunks[i], chunks[j]) = (chunks[j], chunks[i]); break;
            case 3:
                // A chunk from another PNG of the pool, e.g. a palette into an RGB image or a second IHDR.
                PngChunkList? other = PngChunkList.TryParse(rng.Pick(pool));
                if (other is { Chunks.Count: > 0 })
                {
                    PngChunkList.Chunk c = rng.Pick(other.Chunks);
                    chunks.Insert(j, new PngChunkList.Chunk(c.Type, c.Data));
                }
                break;
            default:
                var data = new byte[rng.Pick(new[] { 0, 1, 3, 13, 255, 768, 769 })];
                for (int k = 0; k < data.Length; k++) data[k] = (byte)rng.Next(256);
                chunks.Insert(j, new PngChunkList.Chunk(rng.Pick(ExtraTypes), data));
                break;
        }
    }
}

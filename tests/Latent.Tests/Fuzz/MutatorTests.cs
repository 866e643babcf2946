// The mutators themselves: deterministic for a seed, robust on their own output (a campaign feeds mutants back in),
// and doing what the fuzzer relies on: PNG mutants mostly carry valid CRCs (but not always) and reach the image
// data with a changed, still inflatable IDAT stream; checkpoint mutants mostly carry a length that matches their
// header and sometimes invalid UTF-8 or changed model options; gzipped IDX mutants mostly stay gzip.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Latent.Tests.Fuzz;

public sealed class MutatorTests
{
    public static TheoryData<string> Targets => new() { "idx", "png", "checkpoint" };

    private static IInputMutator MutatorOf(string target) => target switch
    {
        "idx" => new IdxMutator(),
        "png" => new PngMutator(),
        _ => new CheckpointMutator(),
    };

    private static List<byte[]> Mutants(string target, ulong seed, int n, bool chained)
    {
        IInputMutator m = MutatorOf(target);
        var pool = new List<byte[]>(FuzzTargets.Corpus(target));
        var rng = new FuzzRandom(seed);
        var mutants = new List<byte[]>();
        for (int i = 0; i < n; i++)
        {
            byte[] child = m.Mutate(pool[rng.Next(pool.Count)], rng, pool);
            mutants.Add(child);
            if (chained && i % 4 == 0) pool.Add(child);
        }
        return mutants;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void SameSeedGivesTheSameMutantsAndAnotherSeedOthers(string target)
    {
        List<byte[]> a = Mutants(target, 5, 300, chained: true), b = Mutants(target, 5, 300, chained: true), c = Mutants(target, 6, 300, chained: true);
        Assert.True(a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
        Assert.False(a.Zip(c).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void MutatorsSurviveTheirOwnOutputAndStayBounded(string target)
    {
        List<byte[]> mutants = Mutants(target, 77, 4000, chained: true);
        Assert.All(mutants, m => Assert.InRange(m.Length, 0, ByteMutator.MaxLength));
        int distinct = mutants.Select(Convert.ToHexString).Distinct().Count();
        Assert.True(distinct > 3500, $"only {distinct} of 4000 mutants are distinct");
    }

    [Fact]
    public void PngMutantsMostlyHaveValidCrcsAndReachTheImageData()
    {
        List<byte[]> mutants = Mutants("png", 3, 2000, chained: false);
        int parsed = 0, allValid = 0, newImageData = 0;
        HashSet<string> originals = FuzzTargets.Corpus("png").Select(b => Convert.ToHexString(PngChunkList.TryParse(b)?.ImageData() ?? [])).ToHashSet();
        foreach (byte[] m in mutants)
        {
            PngChunkList? png = PngChunkList.TryParse(m);
            if (png is null) continue;
            parsed++;
            if (!png.Chunks.All(c => c.StoredCrc is null)) continue;
            allValid++;
            byte[] idat = png.ImageData();
            if (!originals.Contains(Convert.ToHexString(idat)) && Compression.TryUnzlib(idat) is { Length: > 0 }) newImageData++;
        }
        Assert.InRange(allValid, parsed / 2, parsed - 20);       // CRCs fixed up mostly, and sometimes left wrong on purpose
        Assert.True(newImageData > 200, $"only {newImageData} mutants carry new, inflatable image data under valid CRCs");
    }

    [Fact]
    public void CheckpointMutantsMostlyFixTheLengthAndReachTheOptions()
    {
        List<byte[]> mutants = Mutants("checkpoint", 4, 2000, chained: false);
        int lengthOk = 0, invalidUtf8 = 0, optionsChanged = 0;
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        string original = Options(FuzzTargets.Corpus("checkpoint").Last());
        foreach (byte[] m in mutants)
        {
            if (!CheckpointMutator.TrySplit(m, out byte[] header, out _)) continue;
            lengthOk++;
            try { strict.GetString(header); }
            catch (DecoderFallbackException) { invalidUtf8++; continue; }
            string options = Options(m);
            if (options.Length > 0 && options != original && !FuzzTargets.Corpus("checkpoint").Select(Options).Contains(options)) optionsChanged++;
        }
        Assert.True(lengthOk > 1500, $"only {lengthOk} of 2000 mutants have a header length that fits the file");
        Assert.True(invalidUtf8 > 20, $"only {invalidUtf8} mutants carry invalid UTF-8 in the header");
        Assert.True(optionsChanged > 200, $"only {optionsChanged} mutants have changed model options");
    }

    private static string Options(byte[] checkpoint)
    {
        if (!CheckpointMutator.TrySplit(checkpoint, out byte[] header, out _)) return "";
        try { return JsonNode.Parse(header) is JsonObject o && o["__metadata__"]?["options"] is JsonValue v && v.TryGetValue(out string? s) ? s : ""; }
        catch (System.Text.Json.JsonException) { return ""; }
        catch (InvalidOperationException) { return ""; }
    }

    [Fact]
    public void GzippedIdxMutantsMostlyStayGzipWithAChangedIdxInside()
    {
        byte[] gz = FuzzTargets.Corpus("idx").First(b => Compression.IsGzip(b));
        byte[] inner = Compression.TryGunzip(gz)!;
        var rng = new FuzzRandom(9);
        int changedInside = 0;
        for (int i = 0; i < 500; i++)
            if (Compression.TryGunzip(new IdxMutator().Mutate(gz, rng, [gz])) is { } raw && !raw.AsSpan().SequenceEqual(inner)) changedInside++;
        Assert.True(changedInside > 300, $"only {changedInside} of 500 gzip mutants inflate to a changed IDX");
    }

    [Fact]
    public void InterestingIntegersAreWrittenInBothByteOrders()
    {
        var b = new List<byte>(new byte[8]);
        ByteMutator.WriteInteger(b, 0, 4, bigEndian: true, 0x01020304);
        ByteMutator.WriteInteger(b, 4, 4, bigEndian: false, 0x01020304);
        Assert.Equal([1, 2, 3, 4, 4, 3, 2, 1], b);
        ByteMutator.WriteInteger(b, 0, 8, bigEndian: false, long.MinValue);
        Assert.Equal(long.MinValue, BinaryPrimitives.ReadInt64LittleEndian([.. b]));
    }

    [Fact]
    public void InvalidUtf8MarkersBecomeRawBytes()
    {
        byte[] json = JsonMutator.ToUtf8(new JsonObject { ["epoch"] = JsonMutator.InvalidUtf8Marker(0) });
        Assert.Equal([.. "{\"epoch\":\""u8, 0xFF, .. "\"}"u8], json);
    }
}

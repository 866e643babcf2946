// The campaign runner on targets with known behaviour: the project's own errors pass, every other exception, an
// invariant broken by an accepted input, an allocation above the bound and a hang are findings; findings are
// grouped, minimised and written to the findings folder; the same seed replays the same campaign.
using Latent.Data;
using Latent.Data.Png;

namespace Latent.Tests.Fuzz;

[Collection(FuzzCollection.Name)]
public sealed class FuzzCampaignTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("latent-fuzz-test-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly byte[][] Seeds = [[0, 0, 8, 1, 0, 0, 0, 2, 7, 7], [1, 2, 3, 4, 5, 6, 7, 8]];

    private FuzzReport Run(Action<byte[]> behaviour, int iterations = 300, TimeSpan? timeout = null, ulong seed = 1) =>
        new FuzzCampaign(
            new FuzzTarget("fake", _ => "input.bin", path => behaviour(File.ReadAllBytes(path)), new RawMutator(), Seeds),
            new FuzzSettings { Seed = seed, Iterations = iterations, FindingsDir = dir, InputTimeout = timeout ?? TimeSpan.FromSeconds(5) }).Run();

    /// <summary>Idx.Parse: a DataException from Latent's own checks for nearly every input.</summary>
    private static void Parse(byte[] b) => Idx.Parse(b, "input.bin");

    [Fact]
    public void TheProjectsOwnErrorsAreNotFindings()
    {
        FuzzReport r = Run(Parse);
        Assert.True(r.Findings.Count == 0, r.Describe());
        Assert.True(r.Executions[OutcomeKind.Refused] > 250);
        Assert.True(r.RefusalSites.Count >= 3, string.Join("\n", r.RefusalSites));
    }

    [Fact]
    public void AnyOtherExceptionIsAFindingMinimisedAndWrittenOut()
    {
        FuzzReport r = Run(b =>
        {
            if (b.Contains((byte)0x42)) throw new IndexOutOfRangeException();
            Parse(b);
        }, iterations: 2000);
        Finding f = Assert.Single(r.Findings);
        Assert.Equal(OutcomeKind.Crash, f.Outcome.Kind);
        Assert.Contains("IndexOutOfRangeException", f.Outcome.Signature, StringComparison.Ordinal);
        Assert.Equal([0x42], f.Minimized);
        Assert.True(f.Hits > 1);
        Assert.Equal([0x42], File.ReadAllBytes(f.File!));
        Assert.Contains("42", r.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void CleanTypesThrownOutsideLatentOrWithoutMessageAreFindings()
    {
        static Exception Caught(Action a)
        {
            try { a(); }
#pragma warning disable CA1031
            catch (Exception e) { return e; }
#pragma warning restore CA1031
            throw new InvalidOperationException("no exception");
        }
        static string? Why(Exception e) => CleanErrors.WhyNotClean(e);
        Assert.Null(Why(Caught(() => Idx.Parse([1], "x"))));                                            // DataException from Latent.Data
        Assert.Null(Why(Caught(() => _ = new PngImage(0, 1, PixelFormat.Gray8, []))));                    // ArgumentOutOfRangeException from Latent.Reporting
        Assert.Null(Why(new AggregateException(Caught(() => Idx.Parse([1], "x")))));                     // unwrapped as the CLI does
        Assert.NotNull(Why(Caught(() => _ = "abc".Substring(5))));                                       // a .NET argument check
        Assert.NotNull(Why(Caught(() => throw new InvalidDataException("")))); // no message (and thrown by the tests)
        Assert.NotNull(Why(Caught(() => _ = checked(int.MaxValue + int.Parse("1", System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.NotNull(Why(new AggregateException(new IOException("a"), new IOException("b"))));
    }

    [Fact]
    public void AnAcceptedInputBreakingAnInvariantIsAFinding()
    {
        FuzzReport r = Run(b => throw new FuzzOracleException("size: wrong"), iterations: 10);
        Assert.Equal(OutcomeKind.Oracle, Assert.Single(r.Findings).Outcome.Kind);
    }

    [Fact]
    public void AllocatingAboveTheBoundIsAFinding()
    {
        FuzzReport r = Run(b =>
        {
            if (b.Length > 9) GC.KeepAlive(new byte[300 << 20]);
            Parse(b);
        }, iterations: 20);
        Assert.NotEmpty(r.Findings);                   // "memory, then accepted" and "memory, then DataException at ..."
        Assert.All(r.Findings, f => Assert.Equal(OutcomeKind.Memory, f.Outcome.Kind));
        Assert.All(r.Findings, f => Assert.True(f.Outcome.Run.AllocatedBytes >= 300 << 20));
        Assert.True(r.Executions.GetValueOrDefault(OutcomeKind.Refused) > 0);   // short inputs allocate little and stay clean
    }

    [Fact]
    public void AnInputRunningPastTheTimeBoundIsAHangAndTheCampaignGoesOn()
    {
        FuzzReport r = Run(b =>
        {
            if (b.Length == 10 && b[0] == 0) Thread.Sleep(1500);
            Parse(b);
        }, iterations: 50, timeout: TimeSpan.FromMilliseconds(300));
        Finding f = Assert.Single(r.Findings);
        Assert.Equal(OutcomeKind.Hang, f.Outcome.Kind);
        Assert.True(r.TotalExecutions > 10);
    }

    [Fact]
    public void TheSameSeedReplaysTheSameCampaign()
    {
        static string Outcomes(FuzzReport r) => string.Join(",", r.Executions.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}")) + "|" + string.Join(",", r.RefusalSites.Order(StringComparer.Ordinal));
        Assert.Equal(Outcomes(Run(Parse, seed: 3)), Outcomes(Run(Parse, seed: 3)));
    }
}

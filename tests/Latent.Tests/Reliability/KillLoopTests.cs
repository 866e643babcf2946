// Kill -9 loops in the suite (issue 12): `latent train` killed 5 times at random moments, then resumed to the end,
// must leave only complete files and equal an uninterrupted run byte for byte (KillLoop); `latent data fetch`
// killed 3 times while its (substituted) npm downloads, then run to the end, must publish a complete dataset and
// leave nothing else in the cache (FetchKillLoop). scripts/kill-loop.sh runs both with 20 kills.
using Xunit.Abstractions;

namespace Latent.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class KillLoopTests(ITestOutputHelper output)
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;

    [Fact]
    public void TrainKilledAtRandomMomentsThenResumedEqualsAnUninterruptedRun()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        int kills = Setting("LATENT_KILL_LOOP_KILLS", 5), seed = Setting("LATENT_KILL_LOOP_SEED", 12);
        var result = KillLoop.Run(dir.Path, kills, epochs: 60, seed, TimeSpan.FromMilliseconds(Setting("LATENT_KILL_LOOP_MAX_MS", 4000)));
        foreach (string line in result.Log) output.WriteLine(line);
        Assert.True(result.Killed >= Math.Min(kills, 3), $"only {result.Killed} of {kills} runs were killed while running");
        Assert.True(result.Uninterrupted.AsSpan().SequenceEqual(result.Interrupted),
            $"the resumed checkpoint ({result.Interrupted.Length} bytes) differs from the uninterrupted one ({result.Uninterrupted.Length} bytes)");
    }

    [Fact]
    public void FetchKilledAtRandomMomentsThenRunToTheEndLeavesOnlyTheDataset()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        int kills = Setting("LATENT_FETCH_KILL_LOOP_KILLS", 3), seed = Setting("LATENT_KILL_LOOP_SEED", 12);
        var result = FetchKillLoop.Run(dir.Path, kills, seed, TimeSpan.FromMilliseconds(1500));
        foreach (string line in result.Log) output.WriteLine(line);
        Assert.True(result.Killed >= Math.Min(kills, 2), $"only {result.Killed} of {kills} fetches were killed while running");
    }
}

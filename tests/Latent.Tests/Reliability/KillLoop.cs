// A kill -9 loop (issue 12, "What must hold"): `latent train` of a tiny dense VAE on the MNIST subset is started,
// killed with SIGKILL after a random (seeded) delay, and started again with --resume (or afresh while no checkpoint
// exists yet), N times; then it runs to the end. After every kill only complete files may be in the output folder
// (each *.safetensors loads; no empty PNG); after the final run no temporary (*.tmp-*), lock file or other litter is
// left, and the checkpoint equals, byte for byte, that of one uninterrupted run of the same epochs.
// Used by KillLoopTests (N = 5) and, through LATENT_KILL_LOOP_* variables, by scripts/kill-loop.sh (N = 20).
using Latent.Models;

namespace Latent.Tests.Reliability;

public sealed record KillLoopResult(int Killed, int FinishedBeforeTheKill, byte[] Interrupted, byte[] Uninterrupted, IReadOnlyList<string> Log);

public static class KillLoop
{
    public const string OutName = "m.safetensors";

    public static string[] TrainArgs(string outPath, int epochs, bool resume) =>
    [
        "train", "--model", "vae", "--arch", "dense", "--latent", "2", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--seed", "7", "--dataset", TestData.SubsetDir, "--out", outPath, .. resume ? new[] { "--resume" } : [],
    ];

    /// <summary>Runs the loop in <paramref name="dir"/> (an empty folder) and a reference run in a sibling folder.</summary>
    public static KillLoopResult Run(string dir, int kills, int epochs, int seed, TimeSpan maxDelay)
    {
        var log = new List<string>();
        string reference = Path.Combine(dir, "uninterrupted");
        string work = Path.Combine(dir, "killed");
        Directory.CreateDirectory(reference);
        Directory.CreateDirectory(work);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refRun = LatentProcess.Run(TrainArgs(Path.Combine(reference, OutName), epochs, resume: false), TimeSpan.FromMinutes(2));
        if (refRun.ExitCode != 0) throw new InvalidOperationException("the uninterrupted run failed: " + refRun);
        // kill moments scale with how long a whole run takes on this machine now (a loaded machine is slower), so the
        // kills land during training whatever the load: between 15 % and 60 % of it, at most maxDelay
        double whole = clock.Elapsed.TotalMilliseconds;
        double lo = 0.15 * whole, hi = Math.Max(lo + 50, Math.Min(maxDelay.TotalMilliseconds, 0.6 * whole));
        log.Add($"uninterrupted run: {whole:F0} ms; kills between {lo:F0} and {hi:F0} ms");

        var rng = new Random(seed);
        string outPath = Path.Combine(work, OutName);
        int killed = 0, finished = 0;
        for (int i = 0; i < kills; i++)
        {
            var delay = TimeSpan.FromMilliseconds(lo + rng.NextDouble() * (hi - lo));
            bool resume = File.Exists(outPath);
            using var p = System.Diagnostics.Process.Start(LatentProcess.StartInfo(TrainArgs(outPath, epochs, resume)))!;
            var drainOut = p.StandardOutput.ReadToEndAsync();
            var drainErr = p.StandardError.ReadToEndAsync();
            if (p.WaitForExit(delay))
            {
                finished++;
                log.Add($"run {i}: finished (exit {p.ExitCode}) before the kill at {delay.TotalMilliseconds:F0} ms");
                if (p.ExitCode != 0) throw new InvalidOperationException($"run {i} failed: exit {p.ExitCode}: {drainErr.Result}");
            }
            else
            {
                p.Kill(); // SIGKILL
                p.WaitForExit();
                killed++;
                int epochsDone = drainErr.Result.Split('\n').Count(l => l.StartsWith("epoch", StringComparison.Ordinal));
                log.Add($"run {i}{(resume ? " (--resume)" : "")}: killed at {delay.TotalMilliseconds:F0} ms, after {epochsDone} epoch(s)");
            }
            CheckOnlyCompleteFiles(work, $"after run {i}");
        }
        var last = LatentProcess.Run(TrainArgs(outPath, epochs, File.Exists(outPath)), TimeSpan.FromMinutes(2));
        if (last.ExitCode != 0) throw new InvalidOperationException("the final run failed: " + last);
        CheckOnlyCompleteFiles(work, "after the final run");
        var litter = Directory.GetFileSystemEntries(work).Select(Path.GetFileName)
            .Except([OutName, "m.recon.png", "m.samples.png"]).ToList();
        if (litter.Count > 0) throw new InvalidOperationException($"after the final run {work} still holds {string.Join(", ", litter)}");
        return new KillLoopResult(killed, finished, File.ReadAllBytes(outPath), File.ReadAllBytes(Path.Combine(reference, OutName)), log);
    }

    /// <summary>Every checkpoint in <paramref name="dir"/> loads and no PNG is empty (temporaries may be there).</summary>
    public static void CheckOnlyCompleteFiles(string dir, string when)
    {
        foreach (string f in Directory.GetFiles(dir, "*.safetensors"))
        {
            try
            {
                ModelFile.LoadTrained(f);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{when}: {f} does not load: {e.Message}", e);
            }
        }
        foreach (string f in Directory.GetFiles(dir, "*.png"))
            if (new FileInfo(f).Length == 0) throw new InvalidOperationException($"{when}: {f} is empty");
    }
}

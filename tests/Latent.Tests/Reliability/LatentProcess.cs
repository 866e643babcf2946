// Runs the built `latent` executable (copied beside the test assembly) as a child process, as a user would, with
// extra environment variables (e.g. DOTNET_GCHeapHardLimit) and a time limit: a run that overruns it is killed with
// its children and reported, so a hang fails the test instead of stalling the suite. The child's CPU time is sampled
// every 10 ms while it runs (Linux forgets it once the child is reaped), so a test can bound the work a run does
// without depending on how loaded the machine is.
using System.Diagnostics;

namespace Latent.Tests.Reliability;

public sealed record LatentRun(int ExitCode, string Out, string Err, TimeSpan Elapsed, bool TimedOut)
{
    /// <summary>CPU time of the child (user + system), as last sampled before it exited: at most 20 ms short.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>The non-empty lines printed on stderr.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s ({Cpu.TotalSeconds:F2} s of CPU){(TimedOut ? " (killed: time limit)" : "")}; stderr:\n{Err}";
}

public static class LatentProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "latent");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(Executable, args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LATENT_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "latent-test-no-cache"); // never the user's cache
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs `latent <paramref name="args"/>` to completion, or kills it after <paramref name="limit"/>.</summary>
    public static LatentRun Run(IEnumerable<string> args, TimeSpan limit, IReadOnlyDictionary<string, string>? env = null)
    {
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(StartInfo(args, env))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        TimeSpan cpu = TimeSpan.Zero;
        bool done;
        while (!(done = p.WaitForExit(TimeSpan.FromMilliseconds(10))) && watch.Elapsed < limit)
        {
            try { cpu = p.TotalProcessorTime; }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }   // exited between the wait and the read
        }
        if (!done) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return new LatentRun(p.ExitCode, stdout.Result, stderr.Result, watch.Elapsed, !done) { Cpu = cpu };
    }
}

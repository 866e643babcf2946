// What every benchmark log records in its first line, so a figure can be traced to the code and toolchain that made
// it: the commit (`git rev-parse --short HEAD`, "-dirty" when the work tree has uncommitted changes), the .NET SDK
// (`dotnet --version`) and runtime, the core count and the load average (the machines are shared).
// git runs in the folder of the benchmark's binaries (inside the repository), else in the current folder (binaries
// copied elsewhere); "unknown" when neither is in a repository, or dotnet cannot be run.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Latent.Bench;

internal static class BenchHeader
{
    /// <summary>The repository's top folder (from the binaries' folder, else the current one), or null.</summary>
    private static readonly Lazy<string?> RepoValue = new(() =>
        Run("git", "rev-parse --show-toplevel", AppContext.BaseDirectory) ?? Run("git", "rev-parse --show-toplevel", Environment.CurrentDirectory));

    private static readonly Lazy<string> CommitValue = new(() =>
    {
        string? head = RepoValue.Value is string repo ? Run("git", "rev-parse --short HEAD", repo) : null;
        if (head is null) return "unknown";
        string? status = Run("git", "status --porcelain --untracked-files=no", RepoValue.Value!);
        return status is null ? head + "-unknown" : status.Length > 0 ? head + "-dirty" : head;
    });

    // In the repository, so that its global.json picks the SDK as it does for the build.
    private static readonly Lazy<string> SdkValue = new(() => Run("dotnet", "--version", RepoValue.Value ?? Environment.CurrentDirectory) ?? "unknown");

    /// <summary>The short commit hash, with "-dirty" for uncommitted changes.</summary>
    public static string Commit => CommitValue.Value;

    /// <summary>`dotnet --version`.</summary>
    public static string Sdk => SdkValue.Value;

    /// <summary>"# Latent.Bench train conv-vae, commit abc1234, .NET SDK 10.0.100 (runtime .NET 10.0.0), 2 cores, load 3.1 2.9 2.5, 2025-..Z".</summary>
    public static string Line(string[] args) =>
        $"# Latent.Bench {string.Join(' ', args)}, commit {Commit}, .NET SDK {Sdk} (runtime {RuntimeInformation.FrameworkDescription}), " +
        $"{Environment.ProcessorCount} cores, load {Load()}, {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}";

    private static string Load()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    private static string? Run(string file, string arguments, string directory)
    {
        try
        {
            var psi = new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            using var p = Process.Start(psi);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
        catch (InvalidOperationException) { return null; }
    }
}

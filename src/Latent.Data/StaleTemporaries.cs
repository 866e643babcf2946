// Removing what an interrupted fetch left in the cache folder. A fetch works in a temporary folder
// named .NAME.tmp-PID-GUID (and probes writability with .write-test-PID); a fetch killed with kill -9
// cannot clean up, and the npm / apt-get it started may live on. The next run therefore removes every
// such entry whose owner is gone (no process with that PID, or a process started after the entry was
// made: the PID was reused), after killing the processes still working inside it (Linux: any
// process whose current folder, /proc/PID/cwd, lies in it). Entries of live processes, this one
// included, are left alone. (A cache shared between PID namespaces, e.g. containers, cannot tell a
// live fetch of another namespace from a dead one; such setups should not share a cache folder.)
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Latent.IO;

namespace Latent.Data;

/// <summary>Removes what an interrupted fetch left in the cache folder: temporaries of processes that are gone, and the tools still running in them.</summary>
public static partial class StaleTemporaries
{
    /// <summary>A new temporary folder name for fetching <paramref name="dataset"/> in this process.</summary>
    public static string FolderName(string dataset) => $".{dataset}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>The writability probe file name of this process.</summary>
    public static string ProbeName => $".write-test-{Environment.ProcessId}";

    [GeneratedRegex(@"^\.(?:.+\.tmp-(?<pid>\d{1,9})-[0-9a-f]{32}|write-test-(?<pid>\d{1,9}))$")]
    private static partial Regex OwnedName();

    /// <summary>The PID that owns a temporary entry of the cache, or null when the name is not one of ours.</summary>
    public static int? OwnerOf(string name)
    {
        var m = OwnedName().Match(name);
        return m.Success ? int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Removes the temporaries of dead owners in <paramref name="root"/>; returns how many were removed. Never throws for I/O.</summary>
    public static int Remove(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        int removed = 0;
        string[] entries;
        try
        {
            if (!Directory.Exists(root)) return 0;
            entries = Directory.GetFileSystemEntries(root, ".*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (string entry in entries)
        {
            if (OwnerOf(Path.GetFileName(entry)) is not int pid || !ProcessLiveness.OwnerIsGone(pid, entry)) continue;
            bool folder = Directory.Exists(entry);
            if (folder) KillProcessesWorkingIn(Path.GetFullPath(entry));
            if (Delete(entry, folder)) removed++;
        }
        return removed;
    }

    /// <summary>Kills (with their descendants) the processes whose current folder is <paramref name="folder"/> or below it (Linux /proc).</summary>
    public static void KillProcessesWorkingIn(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc")) return;
        string inside = folder.TrimEnd('/') + "/";
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId) continue;
            string? cwd;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (cwd is null || !(cwd + "/").StartsWith(inside, StringComparison.Ordinal)) continue;
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill(entireProcessTree: true);
                p.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException or AggregateException)
            {
                // gone already, or not ours to kill
            }
        }
    }

    private static bool Delete(string entry, bool folder)
    {
        try
        {
            if (!folder)
            {
                File.Delete(entry);
                return true;
            }
            // dpkg-deb can unpack read-only folders; make them writable so their contents can go.
            foreach (var d in new DirectoryInfo(entry).EnumerateDirectories("*", SearchOption.AllDirectories))
                if (d.LinkTarget is null) d.Attributes &= ~FileAttributes.ReadOnly;
            Directory.Delete(entry, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

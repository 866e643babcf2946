// Whether the process that owns a leftover (a temporary named after its PID) is gone: no process with that PID, a
// zombie (killed, not yet reaped by its parent), or a process started after the leftover was made (the PID was
// reused). One answer for every kind of leftover: checkpoint and PNG temporaries (StaleTemporaries), dataset fetch
// folders (Latent.Data). When the system cannot tell, the leftover is kept: the safe mistake.
using System.ComponentModel;
using System.Diagnostics;

namespace Latent.IO;

/// <summary>Whether the process that owns a leftover (a temporary named after its PID) is gone.</summary>
public static class ProcessLiveness
{
    /// <summary>True when no process <paramref name="pid"/> runs, or the one that does started after <paramref name="entry"/> was made.</summary>
    public static bool OwnerIsGone(int pid, string entry)
    {
        if (pid == Environment.ProcessId) return false;
        if (IsZombie(pid)) return true; // killed, not yet reaped by its parent
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited) return true;
            DateTime made = Directory.Exists(entry) ? Directory.GetCreationTimeUtc(entry) : File.GetCreationTimeUtc(entry);
            return p.StartTime.ToUniversalTime() > made.AddSeconds(1);
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // it exited meanwhile
        }
        catch (Exception e) when (e is Win32Exception or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            return false; // cannot tell: keep it
        }
    }

    /// <summary>True when /proc says process <paramref name="pid"/> has exited but is not reaped yet (state Z); false elsewhere.</summary>
    public static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat"); // "pid (comm) S ...": the state follows the last ')'
            int close = stat.LastIndexOf(')');
            return close >= 0 && stat.AsSpan(close + 1).TrimStart().StartsWith("Z", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

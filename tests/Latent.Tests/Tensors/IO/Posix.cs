// Test helpers that need another process or a special file: a FIFO (mkfifo), the pid of a process that has
// exited, and a child shell holding flock(LOCK_EX) on a file the way another Latent run holds its output lock.
using System.Diagnostics;

namespace Latent.Tests.Tensors.IO;

public static class Posix
{
    public static string MkFifo(string path)
    {
        Run("mkfifo", path);
        return path;
    }

    /// <summary>The pid of a child that has exited (so no process has it, barring immediate reuse).</summary>
    public static int DeadPid()
    {
        using Process p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A child process that holds flock(LOCK_EX) on <paramref name="lockPath"/> and wrote its pid into it;
    /// returns once the lock is held. Kill it (kill -9) to see the lock released by the kernel.</summary>
    public static Process HoldLock(string lockPath)
    {
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string a in (string[])["-c", "exec 9>\"$1\" && flock -n 9 && echo $$ >&9 && echo locked && exec sleep 60", "sh", lockPath])
            psi.ArgumentList.Add(a);
        Process p = Process.Start(psi)!;
        string? line = p.StandardOutput.ReadLine();
        Assert.Equal("locked", line);
        return p;
    }

    public static void Kill(Process p)
    {
        p.Kill();                                                   // SIGKILL: no cleanup runs in the child
        p.WaitForExit();
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}

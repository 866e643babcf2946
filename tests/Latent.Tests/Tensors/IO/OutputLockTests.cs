// OutputLock: one holder per output at a time, a clear error naming the holder's pid, and no lock that outlives
// its process (a kill -9 or a stale lock file never blocks the next run).
using System.Globalization;
using Latent.IO;

namespace Latent.Tests.Tensors.IO;

public sealed class OutputLockTests
{
    [Fact]
    public void ASecondAcquisitionFailsUntilTheFirstIsReleased()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        using (OutputLock first = OutputLock.Acquire(path))
        {
            Assert.True(OutputLock.IsHeld(path));
            var e = Assert.Throws<IOException>(() => OutputLock.Acquire(path));
            Assert.Contains($"another run (pid {Environment.ProcessId}) is writing '{path}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("choose another output path", e.Message, StringComparison.Ordinal);
            Assert.Equal(Environment.ProcessId, OutputLock.RecordedPid(path));
        }
        Assert.False(OutputLock.IsHeld(path));
        Assert.False(File.Exists(OutputLock.LockPathFor(path)));    // no litter
        using OutputLock again = OutputLock.Acquire(path);
        Assert.True(OutputLock.IsHeld(path));
    }

    [Fact]
    public void AStaleLockFileOfADeadProcessDoesNotBlock()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        File.WriteAllText(OutputLock.LockPathFor(path), Posix.DeadPid().ToString(CultureInfo.InvariantCulture) + "\n");
        Assert.NotEqual(Environment.ProcessId, OutputLock.RecordedPid(path));
        using OutputLock l = OutputLock.Acquire(path);
        Assert.Equal(Environment.ProcessId, OutputLock.RecordedPid(path));
    }

    [Fact]
    public void ALockHeldByAnotherProcessBlocksUntilThatProcessIsKilled()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var child = Posix.HoldLock(OutputLock.LockPathFor(path));
        try
        {
            var e = Assert.Throws<IOException>(() => OutputLock.Acquire(path));
            Assert.Contains($"another run (pid {child.Id}) is writing", e.Message, StringComparison.Ordinal);
        }
        finally { Posix.Kill(child); }
        Assert.True(File.Exists(OutputLock.LockPathFor(path)));     // kill -9 left the file behind...
        using OutputLock l = OutputLock.Acquire(path);             // ...but not the lock
    }

    [Fact]
    public void ChildProcessesDoNotInheritTheLock()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        using OutputLock l = OutputLock.Acquire(path);
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            // an inherited descriptor would keep the lock after this process died (an orphan `npm pack`, say)
            var open = Directory.GetFiles($"/proc/{child.Id}/fd").Select(fd => new FileInfo(fd).LinkTarget);
            Assert.DoesNotContain(OutputLock.LockPathFor(path), open);
        }
        finally { Posix.Kill(child); }
    }
}

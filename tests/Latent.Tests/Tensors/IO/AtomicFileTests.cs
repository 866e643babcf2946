// AtomicFile: the target is replaced whole or not at all, never when it is a device, FIFO, socket or folder (or a
// symlink to one), and no temporary is left behind.
using Latent.IO;

namespace Latent.Tests.Tensors.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void WritesAndReplacesARegularFileLeavingNoTemporary()
    {
        using var dir = new TempDir();
        string path = dir.File("out.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        AtomicFile.Write(path, s => s.Write([4]));
        Assert.Equal([4], File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedWriteLeavesTheTargetAndNoTemporary()
    {
        using var dir = new TempDir();
        string path = dir.File("out.bin");
        File.WriteAllBytes(path, [9, 9]);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { s.Write([1]); throw new IOException("disk full"); }));
        Assert.Equal([9, 9], File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void RefusesDevicesFifosFoldersAndSymlinksToThemUntouched()
    {
        using var dir = new TempDir();
        string fifo = Posix.MkFifo(dir.File("fifo"));
        string toNull = dir.File("null-link");
        File.CreateSymbolicLink(toNull, "/dev/null");
        string folder = Directory.CreateDirectory(dir.File("folder")).FullName;
        foreach ((string path, string kind) in (ReadOnlySpan<(string, string)>)[(fifo, "FIFO"), (toNull, "character device"), (folder, "folder")])
        {
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, s => s.Write([1])));
            Assert.Contains(kind, e.Message, StringComparison.Ordinal);
            Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
        }
        // /dev/null itself only through the check: a regression must not replace the machine's device
        Assert.Contains("character device", Assert.Throws<IOException>(() => AtomicFile.EnsureWritableTarget("/dev/null")).Message, StringComparison.Ordinal);
        Assert.Contains("symlink to '/dev/null'", Assert.Throws<IOException>(() => AtomicFile.EnsureWritableTarget(toNull)).Message, StringComparison.Ordinal);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal("/dev/null", new FileInfo(toNull).LinkTarget);
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Equal(["fifo", "folder", "null-link"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMissingFolderOrAnEmptyPathIsAClearError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(dir.File("no/such/out.bin"), s => s.Write([1])));
        Assert.Contains("does not exist; create it first", e.Message, StringComparison.Ordinal);
        Assert.Contains("output path is empty", Assert.Throws<ArgumentException>(() => AtomicFile.EnsureWritableTarget("")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesWhileAnotherRunHoldsTheOutputAndWritesWhileThisRunHoldsIt()
    {
        using var dir = new TempDir();
        string path = dir.File("out.bin");
        var child = Posix.HoldLock(OutputLock.LockPathFor(path));
        try
        {
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, s => s.Write([1])));
            Assert.Contains($"pid {child.Id}", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(path));
        }
        finally { Posix.Kill(child); }
        using (OutputLock.Acquire(path))
            AtomicFile.Write(path, s => s.Write([1]));              // the run's own lock does not block its writes
        Assert.Equal([1], File.ReadAllBytes(path));
    }
}

// PngEncoder.Save and AtomicFile (issue 12, items 1 and 4): a write that fails part-way (a full disk) leaves
// neither a file at the target nor a temporary beside it, and keeps an existing target's old contents; a
// temporary left by a killed process is removed by the next write; a directory, device or FIFO at the target is
// refused, never replaced.
using System.Diagnostics;
using Latent.IO;
using Latent.Data.Png;

namespace Latent.Tests.Reporting;

public sealed class PngSaveTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PngImage Image(byte level) => new(3, 2, PixelFormat.Gray8, [level, level, level, level, level, level]);

    [Fact]
    public void SaveWritesTheImageAndNothingElse()
    {
        string path = _dir.File("a.png");
        PngEncoder.Save(path, Image(7));
        Assert.Equal(Image(7).Pixels, PngDecoder.Load(path).Pixels);
        PngEncoder.Save(path, Image(9));                                           // replaces
        Assert.Equal(Image(9).Pixels, PngDecoder.Load(path).Pixels);
        Assert.Equal(["a.png"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedWriteLeavesNoFileAndNoTemporary()
    {
        string path = _dir.File("a.png");
        // the disk fills after 100 bytes: what File.WriteAllBytes would have left as a partial file
        var full = Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(PngEncoder.Encode(Image(7)).AsSpan(0, 40));
            throw new IOException("No space left on device");
        }));
        Assert.Equal("No space left on device", full.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));

        PngEncoder.Save(path, Image(7));
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s => throw new IOException("No space left on device")));
        Assert.Equal(Image(7).Pixels, PngDecoder.Load(path).Pixels);               // the old image is intact
        Assert.Equal(["a.png"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ATemporaryLeftByAKilledProcessIsRemovedByTheNextWrite()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        string path = _dir.File("a.samples.png");
        string stale = $"{path}.tmp-{gone.Id}", live = $"{path}.tmp-1";             // pid 1 always runs
        File.WriteAllBytes(stale, [1, 2, 3]);
        File.WriteAllBytes(live, [1, 2, 3]);
        PngEncoder.Save(path, Image(5));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.Equal(Image(5).Pixels, PngDecoder.Load(path).Pixels);
    }

    [Fact]
    public void ADirectoryDeviceOrFifoAtTheTargetIsRefusedNotReplaced()
    {
        string dir = _dir.File("d.png");
        Directory.CreateDirectory(dir);
        Assert.Contains($"'{dir}' is a folder, not a regular file", Assert.Throws<IOException>(() => PngEncoder.Save(dir, Image(1))).Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir));

        string fifo = _dir.File("f.png");
        UnixFifo.Create(fifo);
        var e = Assert.Throws<IOException>(() => PngEncoder.Save(fifo, Image(1)));
        Assert.Contains("is a FIFO (named pipe), not a regular file", e.Message, StringComparison.Ordinal);
        string device = _dir.File("null.png");
        File.CreateSymbolicLink(device, "/dev/null");
        e = Assert.Throws<IOException>(() => PngEncoder.Save(device, Image(1)));
        Assert.Contains("(a symlink to '/dev/null') is a character device", e.Message, StringComparison.Ordinal);
        Assert.Equal(["d.png", "f.png", "null.png"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("/dev/null", new FileInfo(device).LinkTarget);
    }
}

// Hostile IDX inputs (issue 12): headers whose size product wraps, gzip bombs, corrupt gzip, folders,
// pipes, devices and links to them. Each must be a one-line DataException naming the file, refused
// quickly and before anything is allocated from the header. The inputs are generated here, not committed.
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Latent.Data;

namespace Latent.Tests.Data;

public class IdxHostileInputTests
{
    private static byte[] Header(params uint[] dims)
    {
        var h = new byte[4 + 4 * dims.Length];
        h[2] = 0x08;
        h[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4 + 4 * d), dims[d]);
        return h;
    }

    /// <summary>Gzips <paramref name="head"/> followed by <paramref name="zeros"/> zero bytes, written in chunks.</summary>
    private static void WriteGzip(string path, byte[] head, long zeros, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, level);
        gz.Write(head);
        var chunk = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= chunk.Length) gz.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
    }

    /// <summary>Runs a read that must be refused, with a time limit so that a hang fails the test instead of stalling it.</summary>
    private static async Task<DataException> RefusedAsync(Func<object> read, TimeSpan limit, Action? unblock = null)
    {
        var task = Task.Run(read);
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            unblock?.Invoke();
            Assert.Fail($"the read did not finish within {limit.TotalSeconds} s: it hangs or reads forever");
        }
        var e = Assert.IsType<DataException>(task.Exception?.InnerException);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void HeaderWhoseProductWrapsToTheFileSizeIsRefused()
    {
        // 254 x 33820272 x 2147380029 = 2^64 + 11,936: in 64 bits it wraps to exactly the 11,936 bytes that follow.
        byte[] raw = [.. Header(254, 33820272, 2147380029), .. new byte[11_936]];
        var e = Assert.Throws<DataException>(() => Idx.Parse(raw, "wrap-file"));
        Assert.Contains("wrap-file", e.Message, StringComparison.Ordinal);
        Assert.Contains("18446744073709563552 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);

        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), raw);
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), [.. Header(254), .. new byte[254]]);
        e = Assert.Throws<DataException>(() => Idx.ReadImageSet(dir.File("train-images-idx3-ubyte"), dir.File("train-labels-idx1-ubyte"), "t"));
        Assert.Contains(dir.File("train-images-idx3-ubyte"), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new uint[] { 2147483647, 2147483647, 3 })] // wrapped to -4.6e18 before
    [InlineData(new uint[] { 65535, 65535, 65535, 65535 })] // wrapped to -1.1e15 before
    [InlineData(new uint[] { 8, 16384, 16384 })] // 2 GiB: no wrap, but more than Latent reads
    public void HugeHeaderSizesAreRefusedWithTheirTrueProduct(uint[] dims)
    {
        byte[] raw = [.. Header(dims), .. new byte[100]];
        var e = Assert.Throws<DataException>(() => Idx.Parse(raw, "huge-file"));
        Assert.Contains("huge-file", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"-\d", e.Message);
    }

    [Fact]
    public void ImagesOfZeroPixelsAreANamedError()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("i"), [3, 0, 0], []);
        Idx.Write(dir.File("l"), [3], new byte[3]);
        var e = Assert.Throws<DataException>(() => Idx.ReadImageSet(dir.File("i"), dir.File("l"), "t"));
        Assert.Contains(dir.File("i"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipBombStopsJustPastTheDeclaredSize()
    {
        // The header declares 100 bytes; 64 MB of zeros follow (a 64 KB file). Reading must stop at byte 101.
        using var dir = new TempDir();
        string bomb = dir.File("bomb-idx1-ubyte.gz");
        WriteGzip(bomb, Header(1, 1, 100), 64L << 20);
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        DataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<DataException>(() => Idx.Read(bomb)));
        Assert.Contains(bomb, e!.Message, StringComparison.Ordinal);
        Assert.Contains("trailing", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 8L << 20, $"reading the bomb allocated {allocated} bytes");
    }

    [Fact]
    public void GzipDeclaringMoreThanItHoldsAllocatesOnlyWhatArrives()
    {
        // The header declares 256 MiB (allowed), the data is 4 MB: truncated, and the buffer must follow the data.
        using var dir = new TempDir();
        string gz = dir.File("short-idx3-ubyte.gz");
        WriteGzip(gz, Header(1, 16384, 16384), 4L << 20);
        DataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<DataException>(() => Idx.Read(gz)));
        Assert.Contains("truncated", e!.Message, StringComparison.Ordinal);
        Assert.True(allocated < 32L << 20, $"reading allocated {allocated} bytes");
    }

    [Fact]
    public void GzipDeclaringMoreThanTheLimitIsRefusedFromItsHeader()
    {
        using var dir = new TempDir();
        string gz = dir.File("big-idx3-ubyte.gz");
        WriteGzip(gz, Header(8, 16384, 16384), 1 << 20);
        DataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<DataException>(() => Idx.Read(gz)));
        Assert.Contains(gz, e!.Message, StringComparison.Ordinal);
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"refusing the header allocated {allocated} bytes");
    }

    [Fact]
    public void SmallGzipThatReallyHoldsMoreThanTheHeapIsRefusedUnderAHeapLimit()
    {
        // A 150 KB gzip of 200,000 blank 28 x 28 images (157 MB, all there: a valid IDX file) given to
        // `latent train` under a 128 MiB heap: refused from its header with exit 1, not OutOfMemory.
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string folder = dir.File("digits");
        Directory.CreateDirectory(folder);
        string images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        WriteGzip(images, Header(200_000, 28, 28), 200_000L * 28 * 28, CompressionLevel.Optimal);
        Assert.True(new FileInfo(images).Length < 1 << 20, $"the gzip has {new FileInfo(images).Length} bytes");
        WriteGzip(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), Header(200_000), 200_000);
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "latent"),
            ["train", "--model", "ae", "--dataset", folder, "--class", "0", "--epochs", "1", "--out", dir.File("m.safetensors")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x8000000"; // 128 MiB
        var watch = Stopwatch.StartNew();
        using var latent = Process.Start(psi)!;
        string err = latent.StandardError.ReadToEnd();
        latent.StandardOutput.ReadToEnd();
        Assert.True(latent.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, latent.ExitCode);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains(images, err, StringComparison.Ordinal);
        Assert.Contains("memory", err, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refusing took {watch.Elapsed}");
    }

    [Fact]
    public void PlainFileIsCheckedAgainstItsHeaderBeforeItsDataIsRead()
    {
        using var dir = new TempDir();
        string path = dir.File("long-idx1-ubyte");
        File.WriteAllBytes(path, [.. Header(10), .. new byte[4 << 20]]);
        DataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<DataException>(() => Idx.Read(path)));
        Assert.Contains("trailing", e!.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"refusing the file allocated {allocated} bytes");
    }

    [Fact]
    public async Task FileLargerThanAnyIdxIsRefusedWithoutReading()
    {
        using var dir = new TempDir();
        string path = dir.File("huge-idx3-ubyte");
        using (var fs = File.Create(path))
        {
            fs.Write(Header(1, 1, 10));
            fs.SetLength(Idx.MaxDataBytes + 4096); // sparse: takes no disk space
        }
        var e = await RefusedAsync(() => Idx.Read(path), TimeSpan.FromSeconds(10));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipWithBadCrcSaysCorruptAndHowToReplaceIt()
    {
        using var dir = new TempDir();
        string gz = dir.File("t10k-labels-idx1-ubyte.gz");
        WriteGzip(gz, [.. Header(3), 1, 2, 3], 0);
        byte[] bytes = File.ReadAllBytes(gz);
        bytes[^8] ^= 0xff; // the CRC-32 of the trailer
        File.WriteAllBytes(gz, bytes);
        var e = Assert.Throws<DataException>(() => Idx.Read(gz));
        Assert.Contains(gz, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
        Assert.Contains("latent data fetch", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderGivenAsAFileSaysItIsAFolder()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DataException>(() => Idx.Read(dir.Path));
        Assert.Contains(dir.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("is a folder", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPathIsANamedError() =>
        Assert.Contains("empty", Assert.Throws<DataException>(() => Idx.Read("")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task FifoIsRefusedWithoutBlocking()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string fifo = dir.File("f-idx1-ubyte");
        using (var mk = Process.Start("mkfifo", [fifo])) await mk.WaitForExitAsync();
        File.CreateSymbolicLink(dir.File("link-idx1-ubyte"), fifo);
        // Should a reader block on the open, a writer that closes at once gives it EOF, so no thread stays stuck.
        void Unblock() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose();
        var e = await RefusedAsync(() => Idx.Read(fifo), TimeSpan.FromSeconds(5), Unblock);
        Assert.Contains(fifo, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
        e = await RefusedAsync(() => Idx.Read(dir.File("link-idx1-ubyte")), TimeSpan.FromSeconds(5), Unblock);
        Assert.Contains("a symbolic link to " + fifo, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    [InlineData("/proc/self/status")]
    public async Task DevicesAndLinksToThemAreRefusedQuickly(string device)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(device)) return;
        var e = await RefusedAsync(() => Idx.Read(device), TimeSpan.FromSeconds(5));
        Assert.Contains(device, e.Message, StringComparison.Ordinal);
        using var dir = new TempDir();
        string link = dir.File("z-idx3-ubyte");
        File.CreateSymbolicLink(link, device);
        e = await RefusedAsync(() => Idx.Read(link), TimeSpan.FromSeconds(5));
        Assert.Contains(link, e.Message, StringComparison.Ordinal);
        Assert.Contains("a symbolic link to " + device, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DanglingLinkSaysWhereItPoints()
    {
        using var dir = new TempDir();
        string link = dir.File("dangling-idx1-ubyte");
        File.CreateSymbolicLink(link, dir.File("gone"));
        var e = Assert.Throws<DataException>(() => Idx.Read(link));
        Assert.Contains(link, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}

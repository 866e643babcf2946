// `latent score --input FOLDER` with hostile entries (issue 12, items 9-11): with --strict, a link to /dev/zero, a
// FIFO, a huge image and damaged zlib data each end in one line naming the file (exit 1, or 2 for a wrong size),
// without hanging or reading a device; by default (issue 18) the unreadable file is skipped, named with its reason and
// counted, and the good image is scored; a wrong size stops the run either way.
using System.IO.Compression;
using Latent.Data.Png;
using Latent.Tests.Reporting;

namespace Latent.Tests.Cli;

public sealed class ScoreImageFolderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _model;

    public ScoreImageFolderTests()
    {
        _model = _dir.File("m.safetensors");
        var r = CliRunner.Run("train", "--model", "vae", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--arch", "dense",
            "--epochs", "1", "--batch-size", "16", "--out", _model);
        Assert.True(r.ExitCode == 0, r.Err);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A folder holding one good 28 x 28 image and <paramref name="bad"/> made by the caller.</summary>
    private string Folder(string name, Action<string> bad)
    {
        string folder = _dir.File(name);
        Directory.CreateDirectory(folder);
        PngEncoder.Save(Path.Combine(folder, "a.png"), PngImage.FromGrayFloats(new float[28 * 28], 28, 28));
        bad(folder);
        return folder;
    }

    private CliResult Score(string folder)
    {
        var task = Task.Run(() => CliRunner.Run("score", "--model-file", _model, "--input", folder, "--json", "--strict"));
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), $"score {folder} hangs");
        CliResult r = task.Result;
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.Trim().Split('\n'));
        return r;
    }

    /// <summary>Without --strict: the good image scored, the bad one skipped and named on stderr with the count.</summary>
    private void Skipped(string folder, string file, string reason)
    {
        var task = Task.Run(() => CliRunner.Run("score", "--model-file", _model, "--input", folder, "--format", "csv"));
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), $"score {folder} hangs");
        CliResult r = task.Result;
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(2, r.Out.Trim().Split('\n').Length);                // the header and a.png
        Assert.Contains($"skipped {Path.Combine(folder, file)}", r.Err, StringComparison.Ordinal);
        Assert.Contains(reason, r.Err, StringComparison.Ordinal);
        Assert.Contains($"--input {folder}: skipped 1 image that could not be read (add --strict to stop at the first instead)", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DevicesFifosHugeImagesAndDamagedDataAreOneLineErrors()
    {
        string zero = Path.Combine(_dir.Path, "zero", "z.png");
        var r = Score(Folder("zero", f => File.CreateSymbolicLink(Path.Combine(f, "z.png"), "/dev/zero")));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"latent: error: {zero} (a symbolic link to /dev/zero) is a character device, not a regular file; only regular files are read: remove it or replace it with the file itself.", r.Err.Trim());

        r = Score(Folder("fifo", f => UnixFifo.Create(Path.Combine(f, "f.png"))));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("f.png is a FIFO (named pipe), not a regular file", r.Err, StringComparison.Ordinal);
        Skipped(Path.Combine(_dir.Path, "zero"), "z.png", "is a character device, not a regular file");
        Skipped(Path.Combine(_dir.Path, "fifo"), "f.png", "is a FIFO (named pipe), not a regular file");

        r = Score(Folder("huge", f =>
        {
            using var ms = new MemoryStream();
            using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true))
                for (int y = 0; y < 16384; y++) z.Write(new byte[1 + 16384]);
            File.WriteAllBytes(Path.Combine(f, "b.png"), PngBuilder.File(PngBuilder.Ihdr(16384, 16384, 8, 0), ms.ToArray()));
        }));
        Assert.Equal(1, r.ExitCode);   // over the size limit (64 Mpixel): refused from its header, as an image bomb
        Assert.Contains("b.png: the png header declares 16384 x 16384 pixels, over the limit of 67108864 pixels (1000000 a side) for one image; refused before decoding", r.Err, StringComparison.Ordinal);

        r = Score(Folder("zlib", f => File.WriteAllBytes(Path.Combine(f, "c.png"),
            PngBuilder.File(PngBuilder.Ihdr(28, 28, 8, 0), [0x78, 0x20, 0x12, 0x34, 0x56, 0x78, 0x63, 0x60, 0x00, 0x00]))));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{Path.Combine(_dir.Path, "zlib", "c.png")}: corrupt compressed image data (IDAT)", r.Err, StringComparison.Ordinal);
        Skipped(Path.Combine(_dir.Path, "zlib"), "c.png", "corrupt compressed image data (IDAT)");

        r = Score(Folder("bomb", f => File.WriteAllBytes(Path.Combine(f, "d.png"),
            PngBuilder.File(PngBuilder.Ihdr(28, 28, 16, 6), PngBuilder.Zlib(new byte[10])))));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("d.png: PNG image data is truncated", r.Err, StringComparison.Ordinal);
    }
}

// `latent score --input FOLDER` with hostile entries (issue 12, items 9-11; issue 18): a link to /dev/zero, a FIFO, a
// huge image and damaged zlib data beside a good image are each reported by path and skipped (the good image is
// scored, the JSON document lists the skipped one with its reason); with --strict each ends the run in one line naming
// the file (exit 1, or 2 for a wrong size). Never hanging, never reading a device.
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
        CliRunner.TrainTinyVaeOnThrees(_model);
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

    /// <summary>Scores <paramref name="folder"/> with --strict: one line on stderr, nothing on stdout. Without --strict
    /// the same folder scores its good image and lists the bad one, whose reason is the strict run's message.</summary>
    private CliResult Score(string folder)
    {
        CliResult Run(params string[] extra)
        {
            var task = Task.Run(() => CliRunner.Run(["score", "--model-file", _model, "--input", folder, "--json", .. extra]));
            Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), $"score {folder} hangs");
            return task.Result;
        }
        CliResult r = Run("--strict");
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.Trim().Split('\n'));

        CliResult lenient = Run();
        Assert.True(lenient.ExitCode == 0, lenient.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(lenient.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("scored").GetInt32());
        Assert.Equal(Path.Combine(folder, "a.png"), doc.RootElement.GetProperty("samples")[0].GetProperty("path").GetString());
        var skipped = Assert.Single(doc.RootElement.GetProperty("skipped").EnumerateArray());
        Assert.Equal(1, skipped.GetProperty("index").GetInt32());
        Assert.EndsWith(skipped.GetProperty("reason").GetString()!, r.Err.Trim(), StringComparison.Ordinal);
        return r;
    }

    [Fact]
    public void DevicesFifosHugeImagesAndDamagedDataAreSkippedByPathOrWithStrictOneLineErrors()
    {
        string zero = Path.Combine(_dir.Path, "zero", "z.png");
        var r = Score(Folder("zero", f => File.CreateSymbolicLink(Path.Combine(f, "z.png"), "/dev/zero")));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"latent: error: {zero} (a symbolic link to /dev/zero) is a character device, not a regular file; only regular files are read: remove it or replace it with the file itself.", r.Err.Trim());

        r = Score(Folder("fifo", f => UnixFifo.Create(Path.Combine(f, "f.png"))));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("f.png is a FIFO (named pipe), not a regular file", r.Err, StringComparison.Ordinal);

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

        r = Score(Folder("bomb", f => File.WriteAllBytes(Path.Combine(f, "d.png"),
            PngBuilder.File(PngBuilder.Ihdr(28, 28, 16, 6), PngBuilder.Zlib(new byte[10])))));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("d.png: PNG image data is truncated", r.Err, StringComparison.Ordinal);
    }
}

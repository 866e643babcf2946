// Our encoder's output read back by independent decoders: Pillow (python3-pil) checks size, mode and every
// pixel; pngcheck checks chunk structure and CRCs.
using System.Globalization;
using Latent.Data.Png;

namespace Latent.Tests.Reporting;

public class PngIndependentDecoderTests
{
    private const string PillowDump =
        "import sys\nfrom PIL import Image\nim = Image.open(sys.argv[1]); im.load()\n" +
        "print(im.size[0], im.size[1], im.mode)\nprint(im.tobytes().hex())\n";

    [Theory]
    [InlineData(PixelFormat.Gray8, "L", 28, 28)]
    [InlineData(PixelFormat.Gray8, "L", 17, 3)]
    [InlineData(PixelFormat.Rgb8, "RGB", 11, 6)]
    [InlineData(PixelFormat.Rgba8, "RGBA", 5, 9)]
    [InlineData(PixelFormat.GrayAlpha8, "LA", 6, 5)]
    [Trait("Needs", "python3-pil")]
    public void PillowReadsOurPixelsExactly(PixelFormat format, string mode, int w, int h)
    {
        var pixels = new byte[w * h * (int)format];
        new Random(w * h).NextBytes(pixels);
        string path = Path.Combine(Path.GetTempPath(), $"latent-pil-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, PngEncoder.Encode(pixels, w, h, format));
        try
        {
            string[] lines = ExternalTool.RunPillow(PillowDump, path).Split('\n');
            Assert.Equal($"{w} {h} {mode}", lines[0]);
            Assert.Equal(Convert.ToHexStringLower(pixels), lines[1].Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [Trait("Needs", "python3-pil")]
    public void ColourToGrayGivesPillowsLevels()
    {
        // gray from colour is 8-bit (so the exact-likelihood models take colour folders read as gray) and is Pillow's
        // Image.convert("L") level for level, the conversion torchvision pipelines use
        const int w = 23, h = 17;
        var pixels = new byte[w * h * 3];
        new Random(601).NextBytes(pixels);
        string path = Path.Combine(Path.GetTempPath(), $"latent-pil-luma-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, PngEncoder.Encode(pixels, w, h, PixelFormat.Rgb8));
        try
        {
            string[] lines = ExternalTool.RunPillow(
                "import sys\nfrom PIL import Image\nprint(Image.open(sys.argv[1]).convert('L').tobytes().hex())\n", path).Split('\n');
            byte[] pillow = Convert.FromHexString(lines[0].Trim());
            float[] ours = PngDecoder.Load(path).ToGrayFloats();
            Assert.Equal(pillow.Length, ours.Length);
            for (int i = 0; i < ours.Length; i++) Assert.Equal(pillow[i] / 255f, ours[i]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [Trait("Needs", "pngcheck")]
    public void PngcheckFindsNoErrors()
    {
        ExternalTool.Require(ExternalTool.PngCheck, "pngcheck");
        var pixels = new byte[31 * 19 * 3];
        new Random(5).NextBytes(pixels);
        string path = Path.Combine(Path.GetTempPath(), $"latent-pngcheck-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, PngEncoder.Encode(pixels, 31, 19, PixelFormat.Rgb8));
        try
        {
            var (code, o, e) = ExternalTool.Run(ExternalTool.PngCheck, ["-v", path]);
            Assert.True(code == 0, $"pngcheck failed: {o}{e}");
            Assert.Contains("No errors detected", o, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{31} x {19}"), o, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

// The shared Sobel derivatives: a ramp of slope s along the columns gives gx = 8 s and gy = 0 inside the image (the
// kernel's weights 1, 2, 1 times the central difference 2 s), a flat image gives exactly zero, the border sees zeros
// outside, and a stride and offset place the result inside a padded plane without touching the rest.
using Latent.Models.Classical;

namespace Latent.Tests.Models.Classical;

public class SobelTests
{
    [Fact]
    public void ARampHasTheKernelsGainAndAFlatImageNone()
    {
        const int h = 5, w = 6;
        float[] ramp = new float[h * w], gx = new float[h * w], gy = new float[h * w];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) ramp[r * w + c] = 0.25f * c + 1f;
        Sobel.Gradients(ramp, h, w, gx, gy);
        for (int r = 1; r < h - 1; r++)
            for (int c = 1; c < w - 1; c++)
            {
                Assert.Equal(2f, gx[r * w + c]);                                      // 8 x 0.25
                Assert.Equal(0f, gy[r * w + c]);
            }
        Assert.Equal(4 * (0.25f * 1 + 1f), gx[2 * w]);                                 // left border: zeros outside, 1 + 2 + 1 times m[., 1]
        Array.Fill(ramp, 0.7f);
        Sobel.Gradients(ramp, h, w, gx, gy);
        for (int r = 1; r < h - 1; r++)
            for (int c = 1; c < w - 1; c++) Assert.Equal((0f, 0f), (gx[r * w + c], gy[r * w + c]));
    }

    [Fact]
    public void AStrideAndOffsetPlaceTheGradientsInsideAPaddedPlane()
    {
        const int h = 3, w = 4, p = 2, wp = w + 2 * p, plane = (h + 2 * p) * wp;
        float[] img = [.. Enumerable.Range(0, h * w).Select(i => (float)(i * i % 7))];
        float[] gx = new float[h * w], gy = new float[h * w], px = new float[plane], py = new float[plane];
        Array.Fill(px, -9f);
        Sobel.Gradients(img, h, w, gx, gy);
        Sobel.Gradients(img, h, w, px, py, wp, p * wp + p);
        for (int i = 0; i < plane; i++)
        {
            int r = i / wp - p, c = i % wp - p;
            bool inside = (uint)r < h && (uint)c < w;
            Assert.Equal(inside ? gx[r * w + c] : -9f, px[i]);
            if (inside) Assert.Equal(gy[r * w + c], py[i]);
        }
        Assert.Throws<ArgumentException>(() => Sobel.Gradients(img, h, w, new float[h * w - 1], gy));
    }
}

// ImageResize.Fit: stretch is Box; crop takes the centred region of the target's aspect ratio; pad fits the whole
// image inside and centres it on black.
using Latent.Data.Images;

namespace Latent.Tests.Data.Images;

public sealed class ImageResizeModeTests
{
    [Fact]
    public void CropTakesTheCentredRegionAndPadCentresOnBlack()
    {
        // a 2 x 4 image (H x W): columns 1, 2, 3, 4 in both rows
        float[] src = [1, 2, 3, 4, 1, 2, 3, 4];
        var crop = new float[4];
        ImageResize.Fit(src, 1, 2, 4, crop, 2, 2, ResizeMode.Crop);        // the middle 2 x 2: columns 2, 3
        Assert.Equal([2f, 3f, 2f, 3f], crop);
        var pad = new float[16];
        ImageResize.Fit(src, 1, 2, 4, pad, 4, 4, ResizeMode.Pad);          // 2 x 4 fits as is, rows 1 and 2 of 4
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f, 0f, 0f, 0f, 0f], pad);
        var stretch = new float[4];
        ImageResize.Fit(src, 1, 2, 4, stretch, 2, 2, ResizeMode.Stretch);  // pairs of columns averaged
        Assert.Equal([1.5f, 3.5f, 1.5f, 3.5f], stretch);
        var tall = new float[4];
        ImageResize.Fit([1, 1, 2, 2, 3, 3, 4, 4], 1, 4, 2, tall, 2, 2, ResizeMode.Crop);   // 4 x 2: the middle rows 2, 3
        Assert.Equal([2f, 2f, 3f, 3f], tall);
    }
}

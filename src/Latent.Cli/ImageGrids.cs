// The PNG grids the commands write (written atomically by PngEncoder.Save): training images above their
// reconstructions (`train`), and decoded prior samples of a model that generates (`train` after every epoch, and
// `sample`): up to 8 columns, each pixel drawn 2 x 2, the model's channels (gray or RGB).
using Latent.Models;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Reporting.Images;
using Latent.Data.Png;
using Latent.Tensors;

namespace Latent.Cli;

internal static class ImageGrids
{
    /// <summary>The first 16 images of <paramref name="data"/> above their reconstructions, written to <paramref name="path"/>.</summary>
    public static void WriteReconstructions(IReconstructor m, Samples data, string path)
    {
        ArgumentNullException.ThrowIfNull(m);
        int n = Math.Min(16, data.Count);
        var input = data.Slice(0, n);
        float[] rec = m.Reconstruct(input);
        var s = data.Shape;
        PngEncoder.Save(path, ImageGrid.Compose([.. input.X, .. rec], 2 * n, s.Height, s.Width,
            new ImageGridOptions { Columns = n, Scale = 2, RowLabels = ["input", "recon"], Channels = s.Channels }));
    }

    /// <summary><paramref name="count"/> samples of <paramref name="m"/> drawn from <paramref name="seed"/>, written to <paramref name="path"/>;
    /// with <paramref name="pool"/> (the trainer's) the passes reuse its arrays.</summary>
    public static void WriteSamples(GenerativeModel m, int count, int seed, string path, BufferPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        float[] images = PriorSampling.Sample(m, count, seed, pool);
        var s = m.Shape;
        PngEncoder.Save(path, ImageGrid.Compose(images, count, s.Height, s.Width,
            new ImageGridOptions { Columns = Math.Min(8, count), Scale = 2, Channels = s.Channels }));
    }
}

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
    /// with <paramref name="pool"/> (the trainer's) the passes run in a step of it and the grid is composed from its
    /// arrays, into <paramref name="reuse"/> (the previous epoch's grid) when given: the grid after every epoch then
    /// leaves no large array to the collector (issue 20: three a grid, which only a full collection frees, so the
    /// resident set crept up epoch after epoch). Returns the grid, to be passed back as <paramref name="reuse"/>.</summary>
    public static PngImage WriteSamples(GenerativeModel m, int count, int seed, string path, BufferPool? pool = null, PngImage? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        var s = m.Shape;
        var options = new ImageGridOptions { Columns = Math.Min(8, count), Scale = 2, Channels = s.Channels };
        PngImage grid;
        using (pool is null || BufferPool.Current is not null ? (BufferPool.StepScope?)null : pool.Step())   // the samples are read before the step ends
            grid = ImageGrid.Compose(PriorSampling.Draw(m, count, seed).Data, count, s.Height, s.Width, options, reuse);
        PngEncoder.Save(path, grid);
        return grid;
    }
}

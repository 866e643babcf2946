// dataset:class (e.g. mnist:5) as a ScoreInput: that class of the dataset's test split, loaded whole (a dataset's
// split is of fixed size), handed out a batch at a time at the model's size. Names and paths are "mnist:5[i]".
using Latent.Data;
using Latent.Models;

namespace Latent.Cli.Scoring;

internal sealed class DatasetInput(ImageSet set, string name, ImageShape shape) : ScoreInput(shape)
{
    public override long Count => set.Count;

    public override ImageBatch Read(long first, int n)
    {
        var x = AtShape(set.Pixels.AsSpan((int)first * set.Dim, n * set.Dim), n, set.Height, set.Width);
        return ImageBatch.Pack(first, x, n, Shape, i => $"{name}[{first + i}]", i => $"{name}[{first + i}]", new SkippedImage?[n]);
    }
}

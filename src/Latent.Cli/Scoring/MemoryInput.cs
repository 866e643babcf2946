// An input read whole before scoring (folder:PATH, a tree of class folders; csv:FILE, a table's rows standardised
// as the model was) as a ScoreInput: handed out a batch at a time, so it streams through the same pipeline, shards and
// writers as every other input. Names and paths are the loader's ("class/file", "row N").
using Latent.Models;

namespace Latent.Cli.Scoring;

internal sealed class MemoryInput(Samples x, string[] names, string[] paths) : ScoreInput(x.Shape)
{
    public override long Count => x.Count;

    public override ImageBatch Read(long first, int n)
    {
        int d = Shape.Dim;
        var batch = x.X.AsSpan((int)first * d, n * d).ToArray();   // (n, C, H, W)
        return ImageBatch.Pack(first, batch, n, Shape, i => names[first + i], i => paths[first + i], new SkippedImage?[n]);
    }
}

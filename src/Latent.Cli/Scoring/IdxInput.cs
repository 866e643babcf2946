// An IDX images file as a ScoreInput (Latent.Data's IdxImages): each batch's bytes read by seeking, levels / 255,
// resized to the model's size when it differs (--resize; checked when the file was opened). Names are "file[i]".
using Latent.Data;
using Latent.Models;

namespace Latent.Cli.Scoring;

internal sealed class IdxInput(IdxImages idx, ImageShape shape) : ScoreInput(shape)
{
    private readonly string name = Path.GetFileName(idx.Path), full = Path.GetFullPath(idx.Path);

    public override long Count => idx.Count;

    public override ImageBatch Read(long first, int n)
    {
        int d0 = idx.Height * idx.Width;
        var bytes = new byte[(long)n * d0];
        idx.Read(first, bytes);
        var gray = new float[bytes.Length];
        Idx.Levels(bytes, gray);
        var x = AtShape(gray, n, idx.Height, idx.Width);
        return ImageBatch.Pack(first, x, n, Shape, i => $"{name}[{first + i}]", i => $"{full}[{first + i}]", new SkippedImage?[n]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) idx.Dispose();
        base.Dispose(disposing);
    }
}

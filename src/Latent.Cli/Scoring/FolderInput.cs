// A folder tree of images as a ScoreInput (Latent.Data's ImageWalk and ImageFile): each batch's files are decoded on
// all cores (one file per task), into the model's channels and size. A file that cannot be read (corrupt, truncated,
// a FIFO, a device, a link loop, an image bomb refused from its header) or that has another size without --resize is
// not scored: it comes back as a SkippedImage with the reason, which the caller reports by path (or stops at, with
// --strict). Names are paths below the folder ("sub/a.png"); paths are full.
using Latent.Data.Images;
using Latent.Models;

namespace Latent.Cli.Scoring;

internal sealed class FolderInput : ScoreInput
{
    private readonly ImageWalk tree;
    private readonly bool resize;
    private readonly IEnumerator<string> files;
    private long next;              // index of the file files.Current would be after the next MoveNext

    public FolderInput(string folder, ImageShape shape, bool resize) : base(shape)
    {
        tree = ImageWalk.Open(folder);
        this.resize = resize;
        files = tree.Files().GetEnumerator();
    }

    public override long Count => tree.Count;

    /// <summary>Symbolic links to folders that the walk did not follow.</summary>
    public int LinkedFolders => tree.LinkedFolders;

    public override ImageBatch Read(long first, int n)
    {
        if (first < next) throw new InvalidOperationException($"images are read forward: {first} lies before {next}.");
        for (; next < first; next++) Next();
        var paths = new string[n];
        for (int i = 0; i < n; i++, next++) paths[i] = Next();
        int d = Shape.Dim;
        var x = new float[(long)n * d];
        var skipped = new SkippedImage?[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                ImageFile.Read(paths[i], Shape.Channels, Shape.Height, Shape.Width, resize, x.AsSpan(i * d, d));
            }
            catch (ImageSizeException e)
            {
                skipped[i] = new SkippedImage(first + i, paths[i],
                    $"{e.Path} is {e.Width}x{e.Height}; the model takes {Shape.Width}x{Shape.Height} images (add --resize to resize them).", Usage: true);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Data.DataException)
            {
                skipped[i] = new SkippedImage(first + i, paths[i], e.Message, Usage: false);
            }
        });
        return ImageBatch.Pack(first, x, n, Shape, i => tree.Relative(paths[i]), i => paths[i], skipped);
    }

    private string Next() => files.MoveNext() ? files.Current
        : throw new IOException($"--input {tree.Root}: the folder changed while it was scored (fewer than the {tree.Count} images counted at the start); score it again.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) files.Dispose();
        base.Dispose(disposing);
    }
}

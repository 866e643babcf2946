// An image file left out of a batch because it could not be read (corrupt, truncated, over the size limit, not a
// regular file), with the reason; the run goes on and reports these by path with a count (ImageFolderOptions.SkipUnreadable).
namespace Latent.Data.Images;

/// <summary>The file at <see cref="Path"/> was skipped because of <see cref="Reason"/> (the reader's one-line error).</summary>
public sealed record SkippedImage(string Path, string Reason);

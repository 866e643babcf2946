// A folder tree of images labelled by their class folders (ImageTree.Load): the batch, each image's class index,
// and the class names (the folder names, in ordinal order, as torchvision's ImageFolder numbers them).
namespace Latent.Data.Images;

/// <summary><see cref="Images"/>, with <see cref="Labels"/>[i] the index in <see cref="ClassNames"/> of image i's class folder.</summary>
public sealed record LabelledImages(ImageFolderImages Images, IReadOnlyList<int> Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Symbolic links to folders that were not followed (a loop, or a folder already read), with why.</summary>
    public IReadOnlyList<SkippedImage> NotFollowed { get; init; } = [];
}

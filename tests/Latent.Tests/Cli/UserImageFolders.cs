// Folders of PNG images made from the committed MNIST subset, as a user's own images would be: a folder of normal
// images (one digit), and a mixed folder whose file names carry the true label (e.g. 0018-3.png), for the tests of
// the "your own images" workflow.
using Latent.Data;
using Latent.Data.Png;

namespace Latent.Tests.Cli;

internal static class UserImageFolders
{
    /// <summary>Writes the images of <paramref name="set"/> whose label is in <paramref name="digits"/> as
    /// <paramref name="folder"/>/NNNN-L.png (index, label); returns the folder.</summary>
    public static string Write(string folder, ImageSet set, params int[] digits)
    {
        Directory.CreateDirectory(folder);
        for (int i = 0; i < set.Count; i++)
            if (digits.Contains(set.Labels[i]))
                PngEncoder.Save(Path.Combine(folder, $"{i:D4}-{set.Labels[i]}.png"), PngImage.FromGrayFloats(set.Image(i), set.Width, set.Height));
        return folder;
    }

    /// <summary>The true label in a file name written by <see cref="Write"/>.</summary>
    public static int Label(string path) => Path.GetFileNameWithoutExtension(path)[^1] - '0';
}

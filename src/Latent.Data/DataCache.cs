// Where datasets live on disk: an explicit folder (--data-dir), else $LATENT_DATA_DIR, else the
// user's cache folder ($XDG_CACHE_HOME/latent, or ~/.cache/latent). Each dataset is one subfolder
// that appears only once complete (fetched into a temporary folder, checked, then renamed); the
// temporaries of a fetch that was killed are removed by the next use of the cache (StaleTemporaries).
namespace Latent.Data;

/// <summary>Where datasets live on disk: an explicit folder (--data-dir), else $LATENT_DATA_DIR, else the user's cache folder ($XDG_CACHE_HOME/latent, or ~/.cache/latent).</summary>
public sealed class DataCache
{
    /// <summary>A cache in <paramref name="root"/> (--data-dir), or in the default folder when it is null.</summary>
    public DataCache(string? root = null)
    {
        if (root is not null && string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("--data-dir is empty; give a folder for the dataset cache, or leave the option out to use the default.");
        try
        {
            Root = Path.GetFullPath(root ?? DefaultRoot());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"--data-dir '{root ?? DefaultRoot()}' is not a usable folder path (it holds a character a path cannot have, or is too long); give another folder.", e);
        }
    }

    public string Root { get; }

    public string DirectoryOf(DatasetInfo d) => Path.Combine(Root, d.Name);

    public static string DefaultRoot()
    {
        string? env = Environment.GetEnvironmentVariable("LATENT_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(env)) return env;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "latent");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) home = Path.GetTempPath();
        return Path.Combine(home, ".cache", "latent");
    }

    /// <summary>True when every file of the dataset is present (completeness is checked when loading).</summary>
    public bool Has(DatasetInfo d) => d.Files.All(f => File.Exists(Path.Combine(DirectoryOf(d), f)));

    /// <summary>
    /// Removes what interrupted fetches left in the root (temporary folders of dead processes, and the
    /// npm / apt-get still running in them); returns how many entries were removed. Best effort, never throws for I/O.
    /// </summary>
    public int RemoveStaleTemporaries() => StaleTemporaries.Remove(Root);

    /// <summary>Makes sure the root exists and is writable; otherwise a message saying how to pick another folder.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            string probe = Path.Combine(Root, StaleTemporaries.ProbeName);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException(
                $"data folder {Root} is not writable ({e.Message}); pass --data-dir DIR or set LATENT_DATA_DIR to a writable folder.", e);
        }
    }
}

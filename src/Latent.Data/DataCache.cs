// Where datasets live on disk: an explicit folder (--data-dir), else $LATENT_DATA_DIR, else the
// user's cache folder ($XDG_CACHE_HOME/latent, or ~/.cache/latent). Each dataset is one subfolder
// that appears only once complete (fetched into a temporary folder, checked, then renamed).
namespace Latent.Data;

public sealed class DataCache
{
    public DataCache(string? root = null)
    {
        Root = Path.GetFullPath(root ?? DefaultRoot());
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

    /// <summary>Makes sure the root exists and is writable; otherwise a message saying how to pick another folder.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            string probe = Path.Combine(Root, $".write-test-{Environment.ProcessId}");
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

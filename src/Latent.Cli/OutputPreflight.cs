// Checks made before any data is loaded or any model trained, so that a run never trains for minutes and then fails
// to write its result: the output's folder can be created and written in, and an existing output is a regular file
// (not a folder).
namespace Latent.Cli;

internal static class OutputPreflight
{
    /// <summary>The nearest existing folder up <paramref name="full"/> is a folder we can write in (nothing is created).</summary>
    public static void EnsureCanCreateIn(string full, string what)
    {
        string? at = full;
        while (at is not null && !Directory.Exists(at))
        {
            if (File.Exists(at)) throw new IOException($"{what}: cannot create {full}, {at} is a file.");
            at = Path.GetDirectoryName(at);
        }
        if (at is null) return;
        string probe = Path.Combine(at, $".latent-write-test-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{what}: cannot write in {at} ({e.Message}); choose another folder.", e);
        }
    }

    /// <summary>An output file: not a folder, and its folder exists and is writable. (Whether an existing path is a
    /// regular file is checked where it is written: Latent.IO.AtomicFile.)</summary>
    public static void EnsureWritableFile(string full, string what)
    {
        if (Directory.Exists(full)) throw new CliException($"{what}: {full} is a folder; name a file.");
        string? dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) throw new CliException($"{what}: the folder {dir} does not exist; create it first.");
        EnsureCanCreateIn(dir, what);
    }
}

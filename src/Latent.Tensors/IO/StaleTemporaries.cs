// Removes the temporaries that interrupted writers left beside an output: "<name>.tmp-<pid>" (and
// "<name>.tmp-<pid>-<anything>"), files or folders, whose process <pid> is gone (ProcessLiveness: a kill -9, a
// power cut, the PID since reused). Temporaries of live processes, including this one, are kept. Best effort: an
// entry that cannot be removed is left for the next run rather than failing the current one (issue 12, item 4).
using System.Globalization;

namespace Latent.IO;

/// <summary>Removes the temporaries that interrupted writers left beside an output.</summary>
public static class StaleTemporaries
{
    /// <summary>The temporary name this process writes <paramref name="path"/> under: "&lt;path&gt;.tmp-&lt;pid&gt;".</summary>
    public static string NameFor(string path) => Path.GetFullPath(path) + Suffix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private const string Suffix = ".tmp-";

    /// <summary>Deletes the stale temporaries of <paramref name="path"/>; returns how many were removed.</summary>
    public static int Clean(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) return 0;
        string prefix = Path.GetFileName(full) + Suffix;
        string pattern = prefix.AsSpan().IndexOfAny('*', '?') >= 0 ? "*" : prefix + "*";
        int removed = 0;
        foreach (string entry in Directory.EnumerateFileSystemEntries(dir, pattern, new EnumerationOptions { MatchType = MatchType.Simple, IgnoreInaccessible = true }))
        {
            string name = Path.GetFileName(entry);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || OwnerPid(name.AsSpan(prefix.Length)) is not int pid) continue;
            if (!ProcessLiveness.OwnerIsGone(pid, entry)) continue;
            try
            {
                if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>The pid in "1234" or "1234-rest"; null for anything else.</summary>
    private static int? OwnerPid(ReadOnlySpan<char> tail)
    {
        int dash = tail.IndexOf('-');
        ReadOnlySpan<char> digits = dash >= 0 ? tail[..dash] : tail;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')) return null;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }
}

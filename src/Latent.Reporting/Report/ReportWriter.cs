// Writes a ClassModelReport as a folder: index.html (self-contained) plus results.csv, plots/*.svg and
// images/*.png (see ReportFiles). Safe by construction:
//  - an existing non-empty folder is refused unless force is set; with force only the report's own files are
//    replaced, anything else the user keeps there is left alone;
//  - everything is rendered in memory first, then written to a staging folder (a hidden sibling for a new
//    folder, a hidden subfolder of an existing one) and moved into place by renames, so a failure part-way
//    leaves the user's files as they were and no half-written index.html;
//  - IOException / UnauthorizedAccessException become a ReportWriteException naming the folder.
namespace Latent.Reporting.Report;

/// <summary>Writes a ClassModelReport as a folder: index.html (self-contained) plus results.csv, plots/*.svg and images/*.png (see ReportFiles).</summary>
public static class ReportWriter
{
    public const string IndexFileName = "index.html";

    /// <summary>Writes the report into <paramref name="directory"/> and returns the full path of its index.html.</summary>
    public static string Write(string directory, ClassModelReport report, bool force = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(report);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(full))
            throw new ReportWriteException($"The report folder '{full}' is a file; choose a folder path for the report.") { Folder = full };
        bool exists = Directory.Exists(full);
        if (exists && !force && Directory.EnumerateFileSystemEntries(full).Any())
            throw new ReportWriteException(
                $"The report folder '{full}' already exists and is not empty; choose a new folder, or pass force (--force) to replace the report files in it.")
            { Folder = full };

        IReadOnlyDictionary<string, byte[]> files = ReportFiles.Render(report); // before touching the disk

        string? staging = null;
        try
        {
            if (!exists)
            {
                string parent = Path.GetDirectoryName(full) ?? full;
                Directory.CreateDirectory(parent);
                staging = Path.Combine(parent, $".{Path.GetFileName(full)}.latent-staging-{Guid.NewGuid():N}");
                WriteAll(staging, files);
                Directory.Move(staging, full);
                staging = null;
            }
            else
            {
                staging = Path.Combine(full, $".latent-staging-{Guid.NewGuid():N}");
                WriteAll(staging, files);
                // index.html last: until it is replaced the old report stays consistent with itself.
                foreach (string rel in files.Keys.OrderBy(k => k == IndexFileName).ThenBy(k => k, StringComparer.Ordinal))
                {
                    string target = Path.Combine(full, rel);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(Path.Combine(staging, rel), target, overwrite: true);
                }
                Directory.Delete(staging, recursive: true);
                staging = null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not ReportWriteException)
        {
            throw new ReportWriteException(
                $"Cannot write the report to '{full}': {e.Message} Check that the folder (or its parent) exists and is writable, or choose another folder.", e)
            { Folder = full };
        }
        finally
        {
            if (staging is not null) TryDelete(staging);
        }
        return Path.Combine(full, IndexFileName);
    }

    private static void WriteAll(string root, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(root);
        foreach ((string rel, byte[] bytes) in files)
        {
            string path = Path.Combine(root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the staging folder is hidden and named as ours; the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

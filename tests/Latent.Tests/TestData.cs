// Shared test data: the committed MNIST subset (30 training and 20 test images per digit) and
// temporary folders that clean up after themselves.
using Latent.Data;

namespace Latent.Tests;

public static class TestData
{
    public static string SubsetDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "mnist-subset");

    public static DatasetInfo Subset => DatasetInfo.FromFolder(SubsetDir);

    /// <summary>The repository's root (the folder holding Latent.slnx) above the test output folder.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Could not find the repository root (Latent.slnx) above the test output folder.");
    }

    public static ImageSet SubsetTrain => Datasets.LoadFrom(SubsetDir, Subset, Split.Train);

    public static ImageSet SubsetTest => Datasets.LoadFrom(SubsetDir, Subset, Split.Test);

    /// <summary>Copies the subset's files into <paramref name="folder"/> (e.g. a cache's mnist folder); returns the folder.</summary>
    public static string CopySubsetTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string f in Directory.GetFiles(SubsetDir)) File.Copy(f, System.IO.Path.Combine(folder, System.IO.Path.GetFileName(f)));
        return folder;
    }
}

public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latent-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="bytes"/> to the file <paramref name="name"/> in the folder; returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes <paramref name="text"/> to a new CSV file of a unique name in the folder; returns its path.</summary>
    public string Csv(string text)
    {
        string path = File($"t{Guid.NewGuid():N}.csv");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes an executable shell script (a stand-in for an external tool).</summary>
    public string Script(string name, string body)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        try
        {
            // links to folders are not followed: a test's symbolic link loop would make the walk endless
            var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (var d in new DirectoryInfo(Path).EnumerateDirectories("*", walk))
                d.Attributes = FileAttributes.Normal;
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

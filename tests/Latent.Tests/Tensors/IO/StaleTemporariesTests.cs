// StaleTemporaries: "<name>.tmp-<pid>" files and folders of dead processes are removed, those of live processes
// (and unrelated names) are kept.
using System.Globalization;
using Latent.IO;

namespace Latent.Tests.Tensors.IO;

public sealed class StaleTemporariesTests
{
    [Fact]
    public void RemovesOnlyTheTemporariesOfDeadProcesses()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        string dead = Posix.DeadPid().ToString(CultureInfo.InvariantCulture);
        string deadFile = path + ".tmp-" + dead, deadFolder = path + ".tmp-" + dead + "-0123abcd";
        string live = path + ".tmp-1", own = StaleTemporaries.NameFor(path);
        string[] unrelated = [path + ".tmp-", path + ".tmp-x12", path + ".tmp-12x", dir.File("other.safetensors.tmp-" + dead), path];
        File.WriteAllText(deadFile, "half a checkpoint");
        Directory.CreateDirectory(deadFolder);
        File.WriteAllText(Path.Combine(deadFolder, "part"), "x");
        foreach (string f in (string[])[live, own, .. unrelated]) File.WriteAllText(f, "keep");

        Assert.Equal(2, StaleTemporaries.Clean(path));
        Assert.False(File.Exists(deadFile));
        Assert.False(Directory.Exists(deadFolder));
        foreach (string f in (string[])[live, own, .. unrelated]) Assert.True(File.Exists(f), f);
        Assert.Equal(0, StaleTemporaries.Clean(path));
        Assert.Equal(0, StaleTemporaries.Clean(dir.File("missing-folder/m.safetensors")));
    }
}

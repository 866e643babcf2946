// Saving checkpoints (issue 12, items 1 to 4): never over a device or FIFO, never while another run writes the
// same output, never with NaN or Inf weights, and temporaries of killed runs are cleaned up by the next save.
using System.Buffers.Binary;
using System.Globalization;
using Latent.IO;
using Latent.Nn.Checkpoints;
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tests.Tensors.IO;

namespace Latent.Tests.Nn;

public sealed class CheckpointSaveTests
{
    private static Sequential Model(ulong seed) => new(("fc1", new Linear(4, 3, new Rng(seed))), ("act", new Relu()), ("fc2", new Linear(3, 2, new Rng(seed + 1))));

    [Fact]
    public void SavingOverAFifoOrASymlinkToADeviceIsRefusedAndLeavesThemAlone()
    {
        using var dir = new TempDir();
        string fifo = Posix.MkFifo(dir.File("fifo.safetensors"));
        string link = dir.File("null.safetensors");
        File.CreateSymbolicLink(link, "/dev/null");
        foreach (string path in (string[])[fifo, link, dir.Path])
        {
            var e = Assert.Throws<IOException>(() => Checkpoint.Save(path, Model(1)));
            Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);
    }

    [Fact]
    public void SavingRemovesTheTemporariesOfKilledRunsAndKeepsThoseOfLiveOnes()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        string dead = path + ".tmp-" + Posix.DeadPid().ToString(CultureInfo.InvariantCulture), live = path + ".tmp-1";
        File.WriteAllText(dead, "half a checkpoint from a kill -9");
        File.WriteAllText(live, "pid 1 is alive");
        Checkpoint.Save(path, Model(1));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.Equal(["m.safetensors", "m.safetensors.tmp-1"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SavingWhileAnotherRunHoldsTheOutputIsRefusedNamingIt()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Checkpoint.Save(path, Model(1));
        byte[] before = File.ReadAllBytes(path);
        var other = Posix.HoldLock(OutputLock.LockPathFor(path));
        try
        {
            var e = Assert.Throws<IOException>(() => Checkpoint.Save(path, Model(2)));
            Assert.Contains($"another run (pid {other.Id}) is writing '{path}'", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        finally { Posix.Kill(other); }
        Checkpoint.Save(path, Model(2));                            // the killed run's lock file does not block
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(OutputLock.LockPathFor(path)));
    }

    [Fact]
    public void NonFiniteWeightsAreNeverWrittenAndThePreviousCheckpointIsKept()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Sequential model = Model(1);
        Checkpoint.Save(path, model);
        byte[] before = File.ReadAllBytes(path);
        Assert.Null(Checkpoint.FirstNonFinite(model.StateTensors()));
        model.StateTensors()[2].Tensor.Data[1] = float.PositiveInfinity;    // fc2.weight
        Assert.Equal("fc2.weight", Checkpoint.FirstNonFinite(model.StateTensors()));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Save(path, model));
        Assert.Contains("tensor 'fc2.weight' holds non-finite values", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Checkpoint.EnsureFinite(model.StateTensors(), path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void LoadingAFileWithNaNWeightsIsRefusedAndLeavesTheModelUntouched()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Checkpoint.Save(path, Model(1));
        byte[] bytes = File.ReadAllBytes(path);
        long data = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)data + 4 * 13), float.NaN);   // fc1.bias[1], after 12 weights
        File.WriteAllBytes(path, bytes);
        Sequential target = Model(7);
        float[] before = target.StateTensors()[1].Tensor.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, target));
        Assert.Contains("non-finite weights (NaN or Inf) in tensor 'fc1.bias'", e.Message, StringComparison.Ordinal);
        Assert.Contains("resume from an earlier checkpoint", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.StateTensors()[1].Tensor.ToArray());
    }
}

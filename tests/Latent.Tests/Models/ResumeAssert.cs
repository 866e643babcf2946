// The exact-resume check every trained family shares: a run stopped after an epoch and resumed from its checkpoint
// ends with the same checkpoint tensors, name for name and bit for bit, as the run that never stopped.
using Latent.Models.Training;
using Latent.Nn;

namespace Latent.Tests.Models;

internal static class ResumeAssert
{
    /// <summary>Asserts the two models' checkpoint tensors are identical; returns them (for checks on which are there).</summary>
    public static IReadOnlyList<NamedTensor> SameCheckpoint(GenerativeModel straight, GenerativeModel resumed, object? label = null)
    {
        var a = straight.CheckpointTensors();
        var b = resumed.CheckpointTensors();
        Assert.Equal(a.Select(t => t.Name), b.Select(t => t.Name));
        string prefix = label is null ? "" : $"{label}: ";
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].Tensor.Data.SequenceEqual(b[i].Tensor.Data), $"{prefix}{a[i].Name} differs after resuming");
        return a;
    }
}

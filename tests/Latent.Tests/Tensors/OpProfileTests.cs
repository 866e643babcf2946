// ConvOpProfile's per-op table: with the profile on, every recorded op gets a forward row and every backward rule a
// backward row, keyed by op and output shape, one call each per use; with it off nothing is recorded. The profile is
// process-wide and not thread-safe, so these tests run alone (after the parallel collections).
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Tests.Tensors;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpProfileCollection
{
    public const string Name = "Op profile";
}

[Collection(OpProfileCollection.Name)]
public class OpProfileTests
{
    [Fact]
    public void EveryRecordedOpAndBackwardRuleGetsARowWhileOn()
    {
        var rng = new Rng(3);
        Tensor x = GradCheck.Random(rng, 4, 5), w = GradCheck.Param(GradCheck.Random(rng, 3, 5));
        try
        {
            ConvOpProfile.Reset();
            ConvOpProfile.Enabled = true;
            Tensor.Linear(x, w, null).Tanh().Sum().Backward();
            Tensor.Linear(x, w, null).Tanh().Sum().Backward();
        }
        finally { ConvOpProfile.Enabled = false; }
        var ops = ConvOpProfile.OpSnapshot();
        foreach (string key in new[] { "fwd linear (4, 3)", "fwd tanh (4, 3)", "bwd linear (4, 3)", "bwd tanh (4, 3)" })
        {
            Assert.True(ops.TryGetValue(key, out var row), $"no row '{key}': {string.Join(", ", ops.Keys)}");
            Assert.Equal(2, row.Calls);
            Assert.True(row.Ms >= 0);
        }
        Assert.Contains(ops.Keys, k => k.StartsWith("fwd sum", StringComparison.Ordinal));

        ConvOpProfile.Reset();
        Tensor.Linear(x, w, null).Tanh().Sum().Backward();                 // off: nothing recorded
        Assert.Empty(ConvOpProfile.OpSnapshot());
    }
}

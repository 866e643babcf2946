// FeatureScaling: the training rows' mean and population sd (as numpy's std with ddof 0, scikit-learn's
// StandardScaler), applied column by column; a constant column refused by name; stored as JSON in a checkpoint and
// read back, a corrupt record refused naming the file.
using Latent.Models;

namespace Latent.Tests.Models.Registry;

public sealed class FeatureScalingTests
{
    [Fact]
    public void StandardisesByTheTrainingRowsMeanAndPopulationSd()
    {
        // rows (1, 10), (2, 10.5), (3, 12): mean (2, 10.8333), sd ddof 0 (0.816497, 0.849837) (numpy)
        var x = new Samples([1, 10, 2, 10.5f, 3, 12], 3, ImageShape.Flat(2));
        var s = FeatureScaling.Fit(x, ["a", "b"], "t");
        Assert.Equal(2, s.Mean[0], 12);
        Assert.Equal(0.816496580927726, s.Sd[0], 9);
        Assert.Equal(0.849836585598797, s.Sd[1], 6);
        var z = s.Apply(x);
        Assert.Equal(-1.224744871391589, z.X[0], 5);
        Assert.Equal(0f, z.X[2], 6);
        var back = FeatureScaling.FromJson(s.ToJson(), "m.safetensors");
        Assert.Equal(s.Columns, back.Columns);
        Assert.Equal(s.Mean, back.Mean);
        Assert.Equal(s.Sd, back.Sd);
    }

    [Fact]
    public void AConstantColumnAndABadRecordAreRefusedByName()
    {
        var x = new Samples([1, 5, 2, 5, 3, 5], 3, ImageShape.Flat(2));
        Assert.Equal("t: column 'b' is constant (5 in all 3 rows), so it cannot be standardised; drop the column.",
            Assert.Throws<ArgumentException>(() => FeatureScaling.Fit(x, ["a", "b"], "t")).Message);
        Assert.Contains("the feature scaling in its metadata is incomplete or invalid",
            Assert.Throws<InvalidDataException>(() => FeatureScaling.FromJson("{\"Columns\":[\"a\"],\"Mean\":[0],\"Sd\":[0]}", "m")).Message, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", Assert.Throws<InvalidDataException>(() => FeatureScaling.FromJson("{", "m")).Message, StringComparison.Ordinal);
    }
}

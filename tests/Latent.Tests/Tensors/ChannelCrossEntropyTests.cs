// The per-pixel categorical cross-entropy over the channel axis (PixelCNN's 256-way softmax loss): PyTorch's
// F.cross_entropy values and gradients (scripts/make_pixelcnn_fixtures.py), the central-difference check, agreement
// with the composed log-softmax oracle, and labels out of range.
using Latent.Tensors;
using Latent.Tests.Nn;

namespace Latent.Tests.Tensors;

public class ChannelCrossEntropyTests
{
    [Fact]
    public void MatchesPyTorchCrossEntropy()
    {
        var f = TorchFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Nn", "torch_pixelcnn.bin"));
        Tensor z = GradCheck.Param(f["ce.z"].Clone());
        int[] labels = f["ce.labels"].ToArray().Select(v => (int)v).ToArray();
        Tensor nll = Tensor.ChannelCrossEntropy(z, labels);
        Assert.Equal([2, 3, 4], nll.ShapeArray());
        TorchFixture.AssertClose(f["ce.nll"], nll.Data, 1e-5f, "nll");
        Tensor.Multiply(nll, f["ce.r"]).Sum().Backward();
        TorchFixture.AssertClose(f["ce.dz"], z.Grad!.Data, 1e-5f, "dz");
    }

    [Fact]
    public void GradientMatchesCentralDifference()
    {
        var rng = new Rng(5);
        Tensor z = GradCheck.Param(GradCheck.Random(rng, 2, 4, 2, 3));
        int[] labels = [0, 1, 2, 3, 3, 2, 1, 0, 0, 2, 1, 3];
        GradCheck.Check(t => Tensor.ChannelCrossEntropy(t[0], labels), z);
    }

    [Fact]
    public void EqualsTheLogSoftmaxOracleEvenForLargeLogits()
    {
        var rng = new Rng(9);
        var z = new Tensor(1, 5, 1, 2);
        rng.Uniform(z.Data, -300f, 300f);                                 // exp would overflow without the max shift
        int[] labels = [4, 1];
        float[] nll = Tensor.ChannelCrossEntropy(z, labels).ToArray();
        for (int p = 0; p < 2; p++)
        {
            var row = new Tensor(1, 5);
            for (int l = 0; l < 5; l++) row.Data[l] = z.Data[l * 2 + p];
            Assert.Equal(-row.LogSoftmax().Data[labels[p]], nll[p], 3);
        }
    }

    [Fact]
    public void LabelsOutsideTheLevelsAreAnError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.ChannelCrossEntropy(new Tensor(1, 3, 1, 1), [3]));
        Assert.Throws<ArgumentException>(() => Tensor.ChannelCrossEntropy(new Tensor(1, 3, 1, 2), [0]));
    }
}

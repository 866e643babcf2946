// Optimiser behaviour beyond the PyTorch fixtures: groups, skipping parameters without gradients,
// bad arguments, and a tiny regression that must converge.
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class OptimizerTests
{
    [Fact]
    public void AdamFitsALinearRegression()
    {
        var rng = new Rng(4);
        var layer = new Linear(3, 1, rng);
        var x = new Tensor(64, 3);
        rng.Normal(x.Data);
        var y = new Tensor(64, 1);
        for (int i = 0; i < 64; i++) y.Data[i] = 2f * x.Data[i * 3] - x.Data[i * 3 + 1] + 0.5f * x.Data[i * 3 + 2] + 1f;
        var opt = new Adam(layer.Parameters(), learningRate: 0.05f);
        float loss = 0;
        for (int step = 0; step < 400; step++)
        {
            opt.ZeroGrad();
            Tensor l = Loss.Mse(layer.Forward(x), y);
            l.Backward();
            opt.Step();
            loss = l.Item();
        }
        Assert.True(loss < 1e-4f, $"MSE after 400 Adam steps is {loss}");
        Assert.Equal(2f, layer.Weight.Data[0], 2);
        Assert.Equal(1f, layer.Bias!.Data[0], 2);
    }

    [Fact]
    public void GroupsHaveTheirOwnLearningRateAndParametersWithoutGradientsAreSkipped()
    {
        var a = new Tensor(new float[] { 1f }, 1) { RequiresGrad = true };
        var b = new Tensor(new float[] { 1f }, 1) { RequiresGrad = true };
        var c = new Tensor(new float[] { 1f }, 1) { RequiresGrad = true };
        var sgd = new Sgd([new ParamGroup([a], 0.1f), new ParamGroup([b, c], 1f)]);
        (a + b).Sum().Backward();                         // c gets no gradient
        sgd.Step();
        Assert.Equal(0.9f, a.Data[0], 6);
        Assert.Equal(0f, b.Data[0], 6);
        Assert.Equal(1f, c.Data[0]);
    }

    [Fact]
    public void BadArgumentsAreNamedErrors()
    {
        var p = new Tensor(new float[] { 1f }, 1) { RequiresGrad = true };
        Assert.Throws<ArgumentException>(() => new Adam([new Tensor(1)]));            // not trainable
        Assert.Throws<ArgumentException>(() => new Sgd([new ParamGroup([p], 1f), new ParamGroup([p], 1f)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], learningRate: -1f));
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<ParamGroup>()));
    }
}

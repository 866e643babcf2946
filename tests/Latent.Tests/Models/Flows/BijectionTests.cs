// Every bijection of the flows: its inverse reproduces the input (float tolerance) and its log-determinant equals
// ln |det| of the Jacobian computed by central differences, on small inputs with random weights.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public class BijectionTests
{
    private sealed record Case(string Name, Module Module, ImageShape Shape, Func<Tensor, (Tensor Y, Tensor LogDet)> Forward, Func<Tensor, Tensor> Inverse);

    private static Case Make(string name)
    {
        var rng = new Rng(5);
        switch (name)
        {
            case "made":
            {
                var m = new Made(6, 12, 2, reversed: true, rng);
                FlowTestData.Randomise(m, 11);
                return new(name, m, ImageShape.Flat(6), x => m.ToNoise(x.Reshape(x.Dim(0), 6)), y => m.FromNoise(y));
            }
            case "batchnorm":
            {
                var b = new FlowBatchNorm(5);
                FlowTestData.Randomise(b, 12);
                new Rng(3).Uniform(b.RunningVar.Data, 0.5f, 2f);
                new Rng(4).Normal(b.RunningMean.Data);
                b.Eval();
                return new(name, b, ImageShape.Flat(5), x => { var (y, ld) = b.ToNoise(x.Reshape(x.Dim(0), 5)); return (y, ld + Tensor.Zeros(x.Dim(0))); }, y => b.FromNoise(y));
            }
            case "checkerboard":
            case "channel":
            {
                bool checker = name == "checkerboard";
                var s = checker ? new ImageShape(1, 4, 4) : new ImageShape(4, 2, 2);
                var c = new AffineCoupling(s.Channels, s.Height, s.Width, checker, parity: 1, hidden: 6, rng);
                FlowTestData.Randomise(c, 13);
                return new(name, c, s, c.ToNoise, c.FromNoise);
            }
            case "squeeze":
                return new(name, new FlowBatchNorm(1), new ImageShape(2, 4, 4), x => (Squeeze.Forward(x), Tensor.Zeros(x.Dim(0))), Squeeze.Inverse);
            case "maf":
            {
                var m = new Maf(ImageShape.Flat(6), 3, 10, 1, batchNorm: true, rng);
                FlowTestData.Randomise(m, 14, 0.2f);
                m.Eval();
                return new(name, m, ImageShape.Flat(6), m.ToLatent, m.FromLatent);
            }
            default:
            {
                var s = new ImageShape(1, 4, 4);
                var r = new RealNvpNetwork(s, 1, 2, 6, rng);
                FlowTestData.Randomise(r, 15, 0.2f);
                return new(name, r, s, r.ToLatent, r.FromLatent);
            }
        }
    }

    public static TheoryData<string> Names() => ["made", "batchnorm", "checkerboard", "channel", "squeeze", "maf", "realnvp"];

    [Theory]
    [MemberData(nameof(Names))]
    public void TheInverseReproducesTheInput(string name)
    {
        var c = Make(name);
        Tensor x = FlowTestData.RandomInput(3, c.Shape, 21);
        using var _ = GradMode.Disable();
        Tensor back = c.Inverse(c.Forward(x).Y);
        Assert.Equal(x.Length, back.Length);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x.Data[i] - back.Data[i]) < 1e-4f, $"{name}: value {i} is {back.Data[i]}, was {x.Data[i]}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheLogDeterminantIsThatOfTheNumericalJacobian(string name)
    {
        var c = Make(name);
        using var _ = GradMode.Disable();
        for (int s = 0; s < 2; s++)
        {
            Tensor x = FlowTestData.RandomInput(1, c.Shape, 30 + (ulong)s);
            double numeric = FlowTestData.NumericLogDet(t => c.Forward(t).Y, x);
            double exact = c.Forward(x).LogDet.Data[0];
            Assert.True(Math.Abs(numeric - exact) < 2e-3 * Math.Max(1, Math.Abs(exact)), $"{name}: log-det {exact}, numerically {numeric}");
        }
    }

    [Fact]
    public void SqueezeMovesEachTwoByTwoBlockIntoFourChannels()
    {
        var x = new Tensor(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 1, 1, 4, 4);
        Tensor y = Squeeze.Forward(x);                                        // (1, 4, 2, 2)
        Assert.Equal([1, 4, 2, 2], y.ShapeArray());
        // channel 2 dy + dx holds x[2i + dy, 2j + dx]: channel 1 (dy 0, dx 1) at (0, 1) is x[0, 3] = 3
        Assert.Equal(3f, y.Data[(1 * 2 + 0) * 2 + 1]);
        Assert.Equal(13f, y.Data[(3 * 2 + 1) * 2 + 0]);                      // channel 3 (dy 1, dx 1) at (1, 0): x[3, 1] = 13
    }
}

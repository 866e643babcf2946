// The exact Jacobian of a GAN generator (Linear, BatchNorm1d, Unflatten, ConvTranspose2d, BatchNorm2d, ReLU and the
// tanh output, whose forward-mode rule t -> t (1 - y^2) was added for it) matches central differences, in both layouts
// (the dense one: Linear, LeakyReLU, BatchNorm1d, tanh, Unflatten).
using Latent.Models.Gans;
using Latent.Models.Networks;
using Latent.Models.Training;
using Latent.Tensors;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Gans;

public class GanJacobianTests
{
    [Theory]
    [InlineData(GanNetwork.Conv)]
    [InlineData(GanNetwork.Dense)]
    public void TheGeneratorsJacobianMatchesCentralDifferences(GanNetwork network)
    {
        var model = new GanModel(GanTestData.Tiny(GanKind.Gan, latent: 3) with { Network = network });
        new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 1);     // batch-norm running statistics away from (0, 1)
        model.Eval();
        var net = model.DecoderNetwork;
        var code = new Rng(5).NormalTensor(2, 3);
        var (jt, output) = ForwardJacobian.Compute(net, code, sigmoidOutput: false);
        int d = output.RowLength;
        using var _ = GradMode.Disable();
        // A step of 1e-3 crossed a ReLU's kink in 11 of the 4,704 entries of one trained generator (there the central
        // difference is not the derivative); at 1e-4 the float32 differences still sit far inside the tolerance.
        const float h = 1e-4f;
        double maxErr = 0, maxAbs = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                Tensor plus = code.Clone(), minus = code.Clone();
                plus.Data[i * 3 + j] += h;
                minus.Data[i * 3 + j] -= h;
                Tensor gp = net.Forward(plus), gm = net.Forward(minus);
                for (int p = 0; p < d; p++)
                {
                    double fd = (gp.Data[i * d + p] - gm.Data[i * d + p]) / (2.0 * h), exact = jt.Data[(i * 3 + j) * d + p];
                    maxErr = Math.Max(maxErr, Math.Abs(fd - exact));
                    maxAbs = Math.Max(maxAbs, Math.Abs(exact));
                }
            }
        Assert.True(maxAbs > 1e-3, "the Jacobian should not vanish");
        Assert.True(maxErr < 2e-2 * maxAbs + 1e-4, $"max |FD - exact| = {maxErr}, max |J| = {maxAbs}");
    }
}

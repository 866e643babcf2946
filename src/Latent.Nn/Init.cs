// Parameter initialisers, each stating the reference it matches. All draw from the given Rng.
//   PyTorch nn.Linear / nn.Conv2d defaults: weight kaiming_uniform_(a = sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
//     bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))   (torch/nn/modules/linear.py reset_parameters)
//   DCGAN (Radford et al. 2016, pytorch/examples dcgan weights_init): conv weights N(0, 0.02),
//     batch-norm weight N(1, 0.02), bias 0.
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Parameter initialisers, each stating the reference it matches.</summary>
public static class Init
{
    /// <summary>torch.nn.init.kaiming_uniform_(t, a, mode="fan_in", nonlinearity="leaky_relu"):
    /// U(-b, b) with b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)).</summary>
    public static void KaimingUniform(Tensor tensor, int fanIn, Rng rng, double a = 0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        CheckFanIn(fanIn);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        float bound = (float)(gain * Math.Sqrt(3.0 / fanIn));
        rng.Uniform(tensor.Data, -bound, bound);
    }

    /// <summary>PyTorch's default weight init for Linear and Conv: kaiming_uniform_ with a = sqrt(5), i.e. U(±1/sqrt(fan_in)).</summary>
    public static void PyTorchDefaultWeight(Tensor tensor, int fanIn, Rng rng) => KaimingUniform(tensor, fanIn, rng, Math.Sqrt(5));

    /// <summary>PyTorch's default bias init for Linear and Conv: U(±1/sqrt(fan_in)).</summary>
    public static void PyTorchDefaultBias(Tensor tensor, int fanIn, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        CheckFanIn(fanIn);
        float bound = (float)(1 / Math.Sqrt(fanIn));
        rng.Uniform(tensor.Data, -bound, bound);
    }

    /// <summary>N(mean, std^2); DCGAN's weights_init uses N(0, 0.02) for conv weights and N(1, 0.02) for batch-norm scales.</summary>
    public static void Normal(Tensor tensor, Rng rng, float mean = 0f, float std = 0.02f)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        rng.Normal(tensor.Data, mean, std);
    }

    /// <summary>U(low, high).</summary>
    public static void Uniform(Tensor tensor, Rng rng, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        rng.Uniform(tensor.Data, low, high);
    }

    /// <summary>Every element equal to <paramref name="value"/> (0 for DCGAN biases, 1 for batch-norm scales).</summary>
    public static void Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Data.Fill(value);
    }

    private static void CheckFanIn(int fanIn)
    {
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), $"fan_in must be positive, got {fanIn}.");
    }
}

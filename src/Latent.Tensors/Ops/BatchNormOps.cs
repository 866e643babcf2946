// Differentiable batch normalisation (torch.nn.functional.batch_norm) over x (N, C) or (N, C, ...), recorded through
// Tensor.Record; arithmetic in Kernels/BatchNormKernel.cs. In training mode the batch statistics are used and the
// running statistics (plain tensors, not parameters) are updated in place; in eval mode the running statistics are
// constants. weight (gamma) and bias (beta) are optional (affine = false). A ReLU or LeakyReLU that follows may be
// fused (Sequential does so for BatchNorm then ReLU / LeakyReLU): the result is the activation's, recorded as one op
// whose backward masks the incoming gradient by the activation's derivative, read from that result.
using Latent.Tensors.Kernels;

namespace Latent.Tensors.Ops;

/// <summary>Batch normalisation primitive on tensors.</summary>
public static class BatchNormOps
{
    /// <summary>y = weight (x - mean) / sqrt(var + eps) + bias per channel (axis 1); with <paramref name="activation"/>,
    /// relu(y) or leaky_relu(y, <paramref name="slope"/>) (slope &gt; 0) computed in the same pass.</summary>
    public static Tensor BatchNorm(Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f, NormActivation activation = NormActivation.None, float slope = 0f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2) throw new ArgumentException($"BatchNorm: input must be (N, C) or (N, C, ...), got shape {Tensor.ShapeString(x.Shape)}.");
        int n = x.Dim(0), c = x.Dim(1), s = x.Length / Math.Max(1, n * c);
        CheckChannels(weight, "weight", c);
        CheckChannels(bias, "bias", c);
        CheckChannels(runningMean, "running_mean", c);
        CheckChannels(runningVar, "running_var", c);
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException("BatchNorm: eval mode needs running_mean and running_var (track_running_stats); use training mode or keep the statistics.");
        Tensor y = Tensor.Uninitialized(x.ShapeArray());
        Tensor stats = Tensor.Uninitialized(2 * c); // [mean | invStd] for the backward
        Span<float> mean = stats.Data[..c], invStd = stats.Data[c..];
        long t0 = ConvOpProfile.Start();
        if (training)
            BatchNormKernel.ForwardTrain(x.Data, weight is null ? default : weight.Data, bias is null ? default : bias.Data,
                runningMean is null ? default : runningMean.Data, runningVar is null ? default : runningVar.Data,
                y.Data, mean, invStd, n, c, s, momentum, eps, activation, slope);
        else
        {
            BatchNormKernel.ForwardEval(x.Data, weight is null ? default : weight.Data, bias is null ? default : bias.Data,
                runningMean!.Data, runningVar!.Data, y.Data, n, c, s, eps, activation, slope);
            runningMean.Data.CopyTo(mean);
            for (int j = 0; j < c; j++) invStd[j] = 1f / MathF.Sqrt(runningVar.Data[j] + eps);
        }
        ConvOpProfile.Stop(t0, "batch_norm", c, s, "forward");
        Tensor[] inputs = (weight, bias) switch
        {
            (null, null) => [x],
            (not null, null) => [x, weight],
            (null, not null) => throw new ArgumentException("BatchNorm: a bias without a weight is not supported; pass both (affine) or neither."),
            _ => [x, weight, bias],
        };
        string name = activation switch { NormActivation.None => "batch_norm", NormActivation.Relu => "batch_norm_relu", _ => "batch_norm_leaky_relu" };
        return Tensor.Record(name, y, inputs, static y =>
        {
            var stats = (Tensor)y.OpState!;
            Tensor x = y.Inputs[0];
            Tensor? w = y.Inputs.Length > 1 ? y.Inputs[1] : null, b = y.Inputs.Length > 2 ? y.Inputs[2] : null;
            int n = x.Dim(0), c = x.Dim(1), s = x.Length / (n * c);
            long t0 = ConvOpProfile.Start();
            bool fresh = false;                                      // a first input gradient is written, a later one added
            BatchNormKernel.Backward(x.Data, w is null ? default : w.Data, stats.Data[..c], stats.Data[c..], y.Grad!.Data,
                x.RequiresGrad ? x.GradForWrite(out fresh) : default, w is { RequiresGrad: true } ? w.EnsureGrad() : default,
                b is { RequiresGrad: true } ? b.EnsureGrad() : default, n, c, s, train: (y.OpInt & 1) == 1, writeDx: fresh,
                z: y.Data, activation: (NormActivation)(y.OpInt >> 1), slope: y.OpScalar);
            ConvOpProfile.Stop(t0, "batch_norm", c, s, "backward");
        }, scalar: slope, attribute: (training ? 1 : 0) | (int)activation << 1, state: stats);
    }

    private static void CheckChannels(Tensor? t, string name, int c)
    {
        if (t is not null && t.Length != c)
            throw new ArgumentException($"BatchNorm: {name} has {t.Length} elements, the input has {c} channels.");
    }
}

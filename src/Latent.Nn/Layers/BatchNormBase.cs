// The state and forward shared by BatchNorm1d and BatchNorm2d (torch.nn.modules.batchnorm._BatchNorm): parameters
// "weight" (C, init 1) and "bias" (C, init 0) when affine, buffers "running_mean" (C, 0) and "running_var" (C, 1);
// momentum 0.1 and eps 1e-5 by default, as PyTorch. Training mode normalises with the batch statistics and updates
// the running ones (unbiased variance); eval mode uses the running ones. Left out: PyTorch's num_batches_tracked
// counter (only used when momentum is None, i.e. a cumulative average, which is not supported here).
using Latent.Tensors;
using Latent.Tensors.Kernels;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>The state and forward shared by BatchNorm1d and BatchNorm2d (torch.nn.modules.batchnorm._BatchNorm).</summary>
public abstract class BatchNormBase : Module
{
    private protected BatchNormBase(int channels, float momentum, float eps, bool affine)
    {
        string kind = GetType().Name;
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), $"{kind} needs a positive number of channels, got {channels}.");
        if (momentum is < 0 or > 1 || float.IsNaN(momentum)) throw new ArgumentOutOfRangeException(nameof(momentum), $"{kind} momentum must be in [0, 1], got {momentum}.");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"{kind} eps must be positive, got {eps}.");
        Channels = channels; Momentum = momentum; Eps = eps;
        if (affine)
        {
            Weight = RegisterParameter("weight", Filled(channels, 1f));
            Bias = RegisterParameter("bias", Filled(channels, 0f));
        }
        RunningMean = RegisterBuffer("running_mean", Filled(channels, 0f));
        RunningVar = RegisterBuffer("running_var", Filled(channels, 1f));
    }

    /// <summary>C, the size of axis 1 of the input.</summary>
    public int Channels { get; }
    public float Momentum { get; }
    public float Eps { get; }
    /// <summary>gamma (C), or null when not affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>beta (C), or null when not affine.</summary>
    public Tensor? Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    /// <summary>Normalises axis 1 of the input, whose rank the derived class checks.</summary>
    public override Tensor Forward(Tensor input) => ForwardActivated(input, NormActivation.None, 0f);

    /// <summary>This layer then relu or leaky_relu(<paramref name="slope"/> &gt; 0) in one op (BatchNormOps.BatchNorm with a fused
    /// activation): the same values and gradients as the activation layer applied to <see cref="Forward"/>'s result.</summary>
    public Tensor ForwardActivated(Tensor input, NormActivation activation, float slope)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input);
        if (input.Dim(1) != Channels)
            throw new ArgumentException($"{GetType().Name}({Channels}) got an input with {input.Dim(1)} channels, shape {Tensor.ShapeString(input.Shape)}.");
        return BatchNormOps.BatchNorm(input, Weight, Bias, RunningMean, RunningVar, IsTraining, Momentum, Eps, activation, slope);
    }

    /// <summary>Throws when the input's rank is not this layer's.</summary>
    private protected abstract void CheckRank(Tensor input);

    private static Tensor Filled(int c, float value)
    {
        var t = new Tensor(c);
        t.Data.Fill(value);
        return t;
    }
}

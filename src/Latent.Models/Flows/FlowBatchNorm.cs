// Batch normalisation as a bijection (Dinh et al. 2017, sec. 3.7; Papamakarios et al. 2017, sec. 3.4):
//   y = (x - m) / sqrt(v + eps) . exp(gamma) + beta,   ln |det dy/dx| = sum_i (gamma_i - 0.5 ln(v_i + eps))
// In training m and v are the batch's mean and (biased) variance, differentiated through as in the papers; in
// evaluation they are running averages (momentum 0.1, PyTorch's), so the density of a sample is exact and does not
// depend on its batch. x (N, D).
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>Batch normalisation as a bijection (Dinh et al. 2017, sec. 3.7; Papamakarios et al. 2017, sec. 3.4).</summary>
public sealed class FlowBatchNorm : Module
{
    private const float Eps = 1e-5f, Momentum = 0.1f;

    public FlowBatchNorm(int dim)
    {
        LogGamma = RegisterParameter("log_gamma", new Tensor(dim));
        Beta = RegisterParameter("beta", new Tensor(dim));
        RunningMean = RegisterBuffer("running_mean", new Tensor(dim));
        RunningVar = RegisterBuffer("running_var", Tensor.Full(1f, dim));
    }

    /// <summary>(D) each.</summary>
    public Tensor LogGamma { get; }
    public Tensor Beta { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }

    /// <summary>x (N, D) -> y (N, D), ln |det| (1, the same for every sample).</summary>
    public (Tensor Y, Tensor LogDet) ToNoise(Tensor x)
    {
        Tensor m, v;
        if (IsTraining)
        {
            m = x.Mean(0);                                                    // (D)
            v = (x - m).Square().Mean(0) + Eps;                               // (D)
            for (int i = 0; i < m.Length; i++)
            {
                RunningMean.Data[i] += Momentum * (m.Data[i] - RunningMean.Data[i]);
                RunningVar.Data[i] += Momentum * (v.Data[i] - Eps - RunningVar.Data[i]);
            }
        }
        else
        {
            m = RunningMean;
            v = RunningVar + Eps;
        }
        Tensor y = (x - m) / v.Sqrt() * LogGamma.Exp() + Beta;
        return (y, (LogGamma - v.Log() * 0.5f).Sum());
    }

    /// <summary>y (N, D) -> x (N, D) with the running statistics (no gradient).</summary>
    public Tensor FromNoise(Tensor y)
    {
        using var _ = GradMode.Disable();
        Tensor v = RunningVar + Eps;
        return (y - Beta) * (-LogGamma).Exp() * v.Sqrt() + RunningMean;
    }

    public override Tensor Forward(Tensor input) => ToNoise(input).Y;
}

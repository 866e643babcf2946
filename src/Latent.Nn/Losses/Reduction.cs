// How a loss reduces its per-element values (torch's "reduction" argument, plus "batchmean").
namespace Latent.Nn.Losses;

/// <summary>How a loss reduces its per-element values (torch's "reduction" argument, plus "batchmean").</summary>
public enum Reduction
{
    /// <summary>Per-element values, same shape as the input (per-sample (N) for the Gaussian KL).</summary>
    None,
    /// <summary>Mean over every element (torch's default).</summary>
    Mean,
    /// <summary>Sum over every element.</summary>
    Sum,
    /// <summary>Sum over every element divided by the batch size N: the mean over the batch of per-sample sums
    /// (torch's KLDivLoss "batchmean"; the VAE's loss(x) = sum over pixels, averaged over the batch).</summary>
    BatchMean,
}

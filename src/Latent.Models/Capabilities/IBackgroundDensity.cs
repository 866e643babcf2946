// Capability: a second density of the same kind trained on perturbed copies of the training class (Ren et al. 2019,
// "Likelihood ratios for out-of-distribution detection": each pixel replaced by a uniform random level with
// probability mu), saved in the same checkpoint. What it explains (background, smoothness, image complexity) is
// what the likelihood-ratio score cancels.
namespace Latent.Models;

/// <summary>Capability: a second density of the same kind trained on perturbed copies of the training class (Ren et al. 2019, "Likelihood ratios for out-of-distribution detection": each pixel replaced by a uniform random level with probability mu), saved in the same checkpoint.</summary>
public interface IBackgroundDensity
{
    /// <summary>The background model (null: trained without one, so no likelihood-ratio score).</summary>
    IDensity? Background { get; }
}

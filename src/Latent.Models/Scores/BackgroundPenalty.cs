// Ren et al. 2019's L2 regularisation of the likelihood-ratio score's background model (sec. 4: the background is
// trained on mutated inputs "with L2 regularization" so that it captures only the population-level background
// statistics): lambda/2 ||theta_B||^2 added to the background's loss, as Adam's weight decay (torch's convention).
namespace Latent.Models.Scores;

/// <summary>Checks the background model's L2 penalty lambda (FlowOptions and PixelCnnOptions.BackgroundL2).</summary>
public static class BackgroundPenalty
{
    /// <summary>Largest lambda accepted: beyond it the penalty, not the data, decides the weights.</summary>
    public const float Max = 1f;

    /// <summary>lambda must be finite, in [0, Max], and positive only when a background model is trained.</summary>
    public static void Validate(float lambda, float mutationRate)
    {
        if (!(lambda >= 0f && lambda <= Max))
            throw new ArgumentException($"background L2 {lambda} must be in [0, {Max}] (e.g. 1e-4; 0: none).");
        if (lambda > 0f && mutationRate == 0f)
            throw new ArgumentException($"background L2 {lambda} regularises the background model, which mutation rate 0 leaves out; give a mutation rate above 0 (e.g. 0.2).");
    }
}

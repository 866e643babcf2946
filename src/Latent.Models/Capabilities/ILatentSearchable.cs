// Capability: a generator without an encoder that says how its codes are found by latent search (Scores/LatentSearch,
// AnoGAN): the search's settings and, optionally, the hidden features of a discriminator for the feature-matching
// term, and optionally an encoder's codes to start from. GenerativeScores gives such a generator the encoder scores (recon, latent-nll, combined) through the search.
using Latent.Models.Scores;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: a generator without an encoder that says how its codes are found by latent search (Scores/LatentSearch, AnoGAN): the search's settings and, optionally, the hidden features of a discriminator for the feature-matching term, and optionally an encoder's codes to start from.</summary>
public interface ILatentSearchable : IGenerator
{
    /// <summary>Steps, restarts, rate, feature weight; Restarts 0 switches the search (and the scores it gives) off.</summary>
    LatentSearchOptions Search { get; }

    /// <summary>The module whose parameters the features use (frozen during the search), or null without features.</summary>
    Module? FeatureNetwork { get; }

    /// <summary>Hidden features of images in [0, 1]: (N, C, H, W) -> (N, F) (the discriminator's last hidden layer).</summary>
    Tensor Features(Tensor x);

    /// <summary>An encoder's guess of the codes of images in [0, 1], (N, C, H, W) -> (N, Z), where the search's first
    /// restart starts (f-AnoGAN, Schlegl et al. 2019), or null: every restart starts from a prior draw.</summary>
    Tensor? StartingCodes(Tensor x) => null;
}

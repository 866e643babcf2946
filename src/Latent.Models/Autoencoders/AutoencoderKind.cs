// The members of the autoencoder family, by their command-line names (ae, dae, vae, aae, wae).
namespace Latent.Models.Autoencoders;

/// <summary>The members of the autoencoder family, by their command-line names (ae, dae, vae, aae, wae).</summary>
public enum AutoencoderKind
{
    /// <summary>Autoencoder: min reconstruction NLL of x from G(E(x)).</summary>
    Ae,
    /// <summary>Denoising autoencoder (Vincent et al. 2008): reconstruct x from G(E(x~)), x~ a corrupted x.</summary>
    Dae,
    /// <summary>VAE / beta-VAE (Kingma &amp; Welling 2014; Higgins et al. 2017).</summary>
    Vae,
    /// <summary>Adversarial autoencoder (Makhzani et al. 2016).</summary>
    Aae,
    /// <summary>Wasserstein autoencoder (Tolstikhin et al. 2018).</summary>
    Wae,
}

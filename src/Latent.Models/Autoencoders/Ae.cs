// The autoencoder and the denoising autoencoder (Vincent et al. 2008): z = E(x~), loss = -log p(x | G(z)) averaged
// over the batch, where x~ = x (AE) or a corrupted copy (DAE: Gaussian noise or masking, AutoencoderOptions.Noise).
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>The autoencoder and the denoising autoencoder (Vincent et al. 2008).</summary>
public sealed class Ae : AutoencoderModel
{
    private Adam? optimizer;

    public Ae(AutoencoderOptions options) : base(options, options?.Latent ?? 0)
    {
        if (options!.Kind is not (AutoencoderKind.Ae or AutoencoderKind.Dae))
            throw new ArgumentException($"Ae builds the ae and dae models, not {options.Name}.");
    }

    public override IReadOnlyList<string> TermNames { get; } = ["recon"];

    public override float[] TrainStep(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        optimizer ??= AutoencodingOptimizer();
        Tensor input = Kind == AutoencoderKind.Dae ? Corrupt(x, rng) : x;
        Tensor recon = ReconstructionNll(Decode(Encode(input)), x).Mean();
        optimizer.ZeroGrad();
        recon.Backward();
        optimizer.Step();
        return [recon.Item()];
    }
}

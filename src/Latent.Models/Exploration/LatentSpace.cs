// A model's latent space as exploration sees it: E(x) (N, D) -> (N, Z) and G(z) (N, Z) -> (N, D) mean images in
// [0, 1], whatever the kind. PCA: z = U_k^T (x - mean), G(z) = mean + U_k z (exact, linear; clamped to [0, 1] only
// for display by the callers). A trained model: its IEncoder (the posterior mean for a VAE) and IGenerator (the
// decoder's mean E[x | z]). A generator without an encoder (the GANs) can only decode: CanEncode is false, and asking
// it to encode real images is an error naming the kinds that can (and pointing at latent search for the GANs).
// Work runs in batches of 256 without gradients, in eval mode.
using Latent.Models.Classical;
using Latent.Models.Invariance;
using Latent.Models.Training;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Models.Exploration;

/// <summary>A model's latent space as exploration sees it: E(x) (N, D) -&gt; (N, Z) and G(z) (N, Z) -&gt; (N, D) mean images in [0, 1], whatever the kind.</summary>
public sealed class LatentSpace
{
    private const int Batch = 256;
    private readonly Func<float[], int, float[]>? _encode;
    private readonly Func<float[], int, float[]> _decode;
    private readonly Func<int, Rng, float[]>? _prior;

    private LatentSpace(string name, int latent, ImageShape shape, Func<float[], int, float[]>? encode, Func<float[], int, float[]> decode,
        Func<int, Rng, float[]>? prior)
    {
        Name = name;
        Latent = latent;
        Shape = shape;
        _encode = encode;
        _decode = decode;
        _prior = prior;
    }

    /// <summary>The model kind ("vae", "pca", ...).</summary>
    public string Name { get; }

    /// <summary>Z, the code size.</summary>
    public int Latent { get; }

    /// <summary>The geometry of the images it encodes and decodes.</summary>
    public ImageShape Shape { get; }

    /// <summary>Whether real images can be mapped to codes (centroids, moving an image, maps of the test set).</summary>
    public bool CanEncode => _encode is not null;

    /// <summary>Whether the model has a prior to sample (trained generators; PCA does not).</summary>
    public bool CanSample => _prior is not null;

    /// <summary>The latent space of PCA with k components (a linear encoder and decoder).</summary>
    public static LatentSpace Of(PcaGaussian pca)
    {
        ArgumentNullException.ThrowIfNull(pca);
        int k = pca.Latent!.Value, d = pca.Basis.Dim;
        var mean = pca.Basis.Mean.Select(v => (float)v).ToArray();
        var shape = pca.Basis.Shape;
        float[] Encode(float[] x, int n) => pca.Encode(new Samples(x, n, shape));
        float[] Decode(float[] z, int n)
        {
            var r = new float[(long)n * d];   // (N, D) = mean + z (N, k) U_k (k, D)
            for (int i = 0; i < n; i++) mean.CopyTo(r.AsSpan(i * d, d));
            Gemm.Sgemm(false, false, n, d, k, 1f, z, k, pca.Basis.Components, d, 1f, r, d);
            return r;
        }
        return new LatentSpace("pca", k, shape, Encode, Decode, null);
    }

    /// <summary>The latent space of a trained generator, with its encoder when it has one.</summary>
    public static LatentSpace Of(GenerativeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IGenerator g)
            throw new ArgumentException($"model '{model.Options.ModelName}' cannot generate: it has no decoder, so it has no latent space to explore.");
        var shape = model.Shape;
        float[] Decode(float[] z, int n)
        {
            model.Eval();
            using (GradMode.Disable()) return g.Mean(g.Decode(new Tensor(z, n, g.Latent))).ToArray();
        }
        Func<float[], int, float[]>? encode = null;
        if (model is IEncoder e)
            encode = (x, n) =>
            {
                model.Eval();
                using (GradMode.Disable()) return e.Encode(new Tensor(x, n, shape.Channels, shape.Height, shape.Width)).ToArray();
            };
        return new LatentSpace(model.Options.ModelName, g.Latent, shape, encode, Decode, (n, rng) => g.SamplePrior(n, rng).ToArray());
    }

    /// <summary>This space for a model fitted on preprocessed images: the images it encodes are first preprocessed as
    /// the training images were (Preprocessing), so that their codes are in the space the model learnt; decoded images
    /// are of that space too (deskewed, centred, normalised).</summary>
    public LatentSpace Preprocessed(Preprocess preprocess)
    {
        if (preprocess == Preprocess.None || _encode is null) return this;
        var encode = _encode;
        return new LatentSpace(Name, Latent, Shape, (x, n) => encode(Preprocessing.Apply(new Samples(x, n, Shape), preprocess).X, n), _decode, _prior);
    }

    /// <summary>(N, Z) codes of (N, D) images, in batches.</summary>
    public float[] Encode(ReadOnlySpan<float> images, int count)
    {
        if (_encode is null) throw new ArgumentException(CannotEncode(Name));
        return Batched(images, count, Shape.Dim, Latent, _encode);
    }

    /// <summary>(N, D) mean images of (N, Z) codes, in batches.</summary>
    public float[] Decode(ReadOnlySpan<float> codes, int count) => Batched(codes, count, Latent, Shape.Dim, _decode);

    /// <summary>(N, Z) codes drawn from the prior the generator was trained against.</summary>
    public float[] SamplePrior(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (_prior is null) throw new ArgumentException($"model '{Name}' has no prior to sample; sample a trained generator (vae, aae, wae, gan, ...).");
        return _prior(count, rng);
    }

    /// <summary>The message for a model without an encoder asked to encode real images.</summary>
    public static string CannotEncode(string name) =>
        $"model '{name}' cannot encode real images (it has no encoder): centroids, moving an image, maps and denoising need one; " +
        "models that can: pca, ae, dae, vae, aae, wae, bigan (a gan or infogan finds codes only by latent search: `latent score --score recon`).";

    private static float[] Batched(ReadOnlySpan<float> input, int count, int inDim, int outDim, Func<float[], int, float[]> f)
    {
        if (count < 0 || input.Length != (long)count * inDim)
            throw new ArgumentException($"{input.Length} values are not {count} rows of {inDim}.");
        var output = new float[(long)count * outDim];
        for (int b0 = 0; b0 < count; b0 += Batch)
        {
            int bn = Math.Min(Batch, count - b0);
            float[] r = f(input.Slice(b0 * inDim, bn * inDim).ToArray(), bn);
            r.CopyTo(output.AsSpan(b0 * outDim, bn * outDim));
        }
        return output;
    }
}

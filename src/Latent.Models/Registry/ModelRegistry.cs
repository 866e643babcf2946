// The one list of model kinds. Every command, help text, catalog and checkpoint reader takes its kinds from here:
// adding a kind is a new ModelEntry (one file) and one line below.
using Latent.Models.Autoencoders;
using Latent.Models.Autoregressive;
using Latent.Models.Classical;
using Latent.Models.Flows;
using Latent.Models.Gans;
using Latent.Models.SelfSupervised;

namespace Latent.Models;

/// <summary>The one list of model kinds.</summary>
public static class ModelRegistry
{
    public static IReadOnlyList<ModelEntry> Entries { get; } =
    [
        new PcaEntry(),
        new GaussianEntry(),
        new KnnEntry(),
        new AutoencoderEntry(AutoencoderKind.Ae, "autoencoder (conv, Bernoulli decoder)"),
        new AutoencoderEntry(AutoencoderKind.Dae, "denoising autoencoder (Gaussian noise 0.3)"),
        new AutoencoderEntry(AutoencoderKind.Vae, "VAE / beta-VAE (convolutional, as the PyTorch VAE example; --beta)"),
        new AutoencoderEntry(AutoencoderKind.Aae, "adversarial autoencoder (latent discriminator, spectral norm)"),
        new AutoencoderEntry(AutoencoderKind.Wae, "Wasserstein autoencoder (MMD, inverse multiquadric kernel)"),
        new GanEntry(GanKind.Gan, "DCGAN (codes by latent search, AnoGAN; discriminator score)"),
        new GanEntry(GanKind.Bigan, "BiGAN / ALI (encoder, generator, joint discriminator)"),
        new GanEntry(GanKind.Infogan, "InfoGAN (categorical and continuous codes, Q network)"),
        new PixelCnnEntry(),
        new FlowEntry(FlowKind.RealNvp, "RealNVP flow (affine couplings, checkerboard and channel masks, multi-scale; exact density)"),
        new FlowEntry(FlowKind.Made, "MADE (masked autoencoder, Gaussian conditionals; exact density)"),
        new FlowEntry(FlowKind.Maf, "MAF flow (MADE steps with batch norm; exact density)"),
        new GeomEntry(),
    ];

    /// <summary>The names, comma-separated, for messages ("pca, gaussian, knn, ...").</summary>
    public static string Names(Func<ModelEntry, bool>? where = null) =>
        string.Join(", ", Entries.Where(e => where?.Invoke(e) ?? true).Select(e => e.Name));

    /// <summary>The entry of <paramref name="name"/> (case-insensitive), or an ArgumentException listing the kinds.</summary>
    public static ModelEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(name) ?? throw new ArgumentException($"unknown model '{name}'{Suggest(name)}; models: {Names()}.");
    }

    public static ModelEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry whose checkpoint type is <paramref name="type"/>, or null.</summary>
    public static ModelEntry? ForCheckpointType(string type) => Entries.FirstOrDefault(e => e.CheckpointType == type);

    /// <summary>" (did you mean 'vae'?)" when a kind's name is within two edits of <paramref name="name"/>.</summary>
    public static string Suggest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var best = Entries.Select(e => (e.Name, D: EditDistance(name.ToLowerInvariant(), e.Name))).MinBy(x => x.D);
        return best.D <= 2 ? $" (did you mean '{best.Name}'?)" : "";
    }

    /// <summary>" (did you mean 'recon'?)" when one of <paramref name="names"/> is within two edits of <paramref name="name"/>.</summary>
    public static string SuggestAmong(string name, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(names);
        var best = names.Select(n => (Name: n, D: EditDistance(name.ToLowerInvariant(), n))).MinBy(x => x.D);
        return best.Name is not null && best.D is > 0 and <= 2 ? $" (did you mean '{best.Name}'?)" : "";
    }

    /// <summary>Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("vea" is one
    /// edit from "vae"): the optimal string alignment distance.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    /// <summary>Checks latent sizes against the data dimension before any work is done.</summary>
    public static void ValidateLatents(ModelEntry entry, IReadOnlyList<int> latents, int dim)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(latents);
        if (!entry.HasLatent)
        {
            if (latents.Count > 0) throw new ArgumentException($"model '{entry.Name}' has no latent size; drop --latent.");
            return;
        }
        if (latents.Count == 0) throw new ArgumentException($"model '{entry.Name}' needs at least one latent size (--latent).");
        foreach (int k in latents)
            if (k < 1 || k >= dim)
                throw new ArgumentException($"latent size {k} is out of range: '{entry.Name}' on {dim}-value images takes 1 to {dim - 1}.");
    }
}

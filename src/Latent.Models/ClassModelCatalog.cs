// The class models Latent can fit by name, and what each needs. A model with a latent space is
// fitted once per latent size (sharing what can be shared: the PCA basis is computed once).
using Latent.Models.Classical;

namespace Latent.Models;

public sealed record ClassModelKind(string Name, string Description, bool HasLatent, IReadOnlyList<ScoreInfo> Scores);

public static class ClassModelCatalog
{
    public static IReadOnlyList<ClassModelKind> Kinds { get; } =
    [
        new("pca", "PCA-Gaussian / probabilistic PCA with k latents (exact eigendecomposition)", true,
            [PcaGaussian.LatentNll, PcaGaussian.Recon, PcaGaussian.Ppca]),
        new("gaussian", "diagonal Gaussian (naive Bayes) with a variance floor", false, [DiagonalGaussian.Nll]),
        new("knn", "nearest-neighbour one-class: distance to the k-th nearest training example", false, [NearestNeighbour.Distance]),
        .. Autoencoders.AutoencoderCatalog.Kinds,
    ];

    public static ClassModelKind Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown model '{name}'; models: {string.Join(", ", Kinds.Select(k => k.Name))}.");
    }

    /// <summary>Checks latent sizes against the data dimension before any work is done.</summary>
    public static void ValidateLatents(ClassModelKind kind, IReadOnlyList<int> latents, int dim)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(latents);
        if (!kind.HasLatent)
        {
            if (latents.Count > 0) throw new ArgumentException($"model '{kind.Name}' has no latent size; drop --latent.");
            return;
        }
        if (latents.Count == 0) throw new ArgumentException($"model '{kind.Name}' needs at least one latent size (--latent).");
        foreach (int k in latents)
            if (k < 1 || k >= dim)
                throw new ArgumentException($"latent size {k} is out of range: '{kind.Name}' on {dim}-pixel images takes 1 to {dim - 1}.");
    }

    /// <summary>Whether <paramref name="kind"/> is a deep model (the autoencoder family): trained for epochs from a seed.</summary>
    public static bool IsDeep(ClassModelKind kind) => Autoencoders.AutoencoderCatalog.Kinds.Contains(kind);

    /// <summary>Fits the model on one class; one fitted model per latent size (or one for models without).</summary>
    public static IReadOnlyList<IClassModel> Fit(ClassModelKind kind, Samples train, ClassModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(options);
        ValidateLatents(kind, options.Latents, train.Dim);
        switch (kind.Name)
        {
            case "pca":
                var basis = PcaBasis.Fit(train, options.Latents.Max());
                return options.Latents.Select(k => (IClassModel)new PcaGaussian(basis, k)).ToArray();
            case "gaussian":
                return [new DiagonalGaussian(train, options.VarianceFloor)];
            case "knn":
                return [new NearestNeighbour(train, options.Neighbours, options.Metric)];
            case var _ when IsDeep(kind):
                return Autoencoders.AutoencoderCatalog.Fit(kind.Name, train, options);
            default:
                throw new ArgumentException($"model '{kind.Name}' cannot be fitted here.");
        }
    }
}

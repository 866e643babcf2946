// The settings of a latent search (Scores/LatentSearch, AnoGAN: Schlegl et al. 2017, sec. 2.2): Adam on the codes
// for a fixed number of steps from each of several fixed starting codes, the objective's feature-matching weight and
// its prior weight (a MAP search: the code's -log N(z; 0, I) up to a constant).
// Stored with the model's options so a checkpoint scores the same way wherever it is loaded.
namespace Latent.Models.Scores;

/// <summary>The settings of a latent search (Scores/LatentSearch, AnoGAN.</summary>
public sealed record LatentSearchOptions
{
    /// <summary>Adam steps per restart.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Starting codes (fixed prior draws); the best end point per sample wins. 0: no search.</summary>
    public int Restarts { get; init; } = 2;

    /// <summary>Adam's learning rate on the codes (betas 0.9, 0.999).</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>lambda of the feature-matching term lambda ||f(G(z)) - f(x)||^2 (AnoGAN's weights 1 - lambda and lambda
    /// become 1 and lambda here); 0: pixels only.</summary>
    public float FeatureWeight { get; init; }

    /// <summary>beta of the prior term beta ||z||^2 on the searched part of the code (a MAP search: with x = G(z) + noise of
    /// variance s^2 per pixel, beta = s^2 makes the objective 2 s^2 times -log p(z | x)); it keeps the code in the
    /// prior's bulk, where G makes the training class. 0 (the default, and every older checkpoint's): AnoGAN's search.</summary>
    public float PriorWeight { get; init; }

    /// <summary>Seed of the starting codes.</summary>
    public int Seed { get; init; }

    public const int MaxSteps = 100_000, MaxRestarts = 1000;

    /// <summary>Whether the search runs at all (Restarts > 0).</summary>
    public bool Enabled => Restarts > 0;

    /// <summary>"2 restarts x 100 Adam steps, lr 0.05, feature weight 0.1".</summary>
    public override string ToString() => Enabled
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Restarts} restart{(Restarts == 1 ? "" : "s")} x {Steps} Adam steps, lr {LearningRate:G3}{(FeatureWeight > 0 ? $", feature weight {FeatureWeight:G3}" : "")}{(PriorWeight > 0 ? $", prior weight {PriorWeight:G3}" : "")}")
        : "off";

    public void Validate()
    {
        if (Steps < 0 || Steps > MaxSteps) throw new ArgumentException($"latent search steps {Steps} must be 0 to {MaxSteps}.");
        if (Restarts < 0 || Restarts > MaxRestarts) throw new ArgumentException($"latent search restarts {Restarts} must be 0 (no search) to {MaxRestarts}.");
        if (!(LearningRate > 0f) || !float.IsFinite(LearningRate)) throw new ArgumentException($"latent search learning rate {LearningRate} must be a positive number.");
        if (!(FeatureWeight >= 0f) || !float.IsFinite(FeatureWeight)) throw new ArgumentException($"latent search feature weight {FeatureWeight} must be a finite number >= 0.");
        if (!(PriorWeight >= 0f) || !float.IsFinite(PriorWeight)) throw new ArgumentException($"latent search prior weight {PriorWeight} must be a finite number >= 0.");
    }
}

// What a class-modelling evaluation is asked to do (the seed study's protocol, ClassModelProtocol): which kind, its
// options (the latent size is taken from Latents, the image geometry from the data), which classes are real and
// which fake, which scores, and how many seeds an ensemble averages.
namespace Latent.Models.Evaluation;

/// <summary>What a class-modelling evaluation is asked to do (the seed study's protocol, ClassModelProtocol).</summary>
public sealed record ClassModelRequest
{
    public required ModelEntry Model { get; init; }

    /// <summary>The kind's options; fitted once per latent size (Latents) for the data's geometry.</summary>
    public required ModelOptions Options { get; init; }

    /// <summary>Latent sizes to evaluate (kinds with a latent space); empty for the rest.</summary>
    public IReadOnlyList<int> Latents { get; init; } = [];

    /// <summary>The modelled class, or null for the one-vs-rest protocol (each class in turn against all others).</summary>
    public int? RealClass { get; init; }

    /// <summary>The fake classes (null: every class but the real one).</summary>
    public IReadOnlyList<int>? FakeClasses { get; init; }

    /// <summary>Scores to report (null: all of the kind's); models whose scores are costly skip the rest.</summary>
    public IReadOnlyCollection<string>? Scores { get; init; }

    /// <summary>Trained kinds: members per latent size, trained with seeds s .. s + K - 1 and scored by the mean of
    /// their scores (ClassModelEnsemble); 1 = a single model.</summary>
    public int Ensemble { get; init; } = 1;

    /// <summary>Keep test images, reconstructions and codes for a report (single real class only).</summary>
    public bool KeepImages { get; init; }

    /// <summary>Conformal thresholds to measure (null: none): a calibration part of each real class's training images
    /// is held out, the models are fitted on the rest.</summary>
    public Conformal.ConformalRequest? Conformal { get; init; }

    /// <summary>Add a "fused" row: every (model, score) of the run standardised on a held-out 10 % of the class's
    /// training images (not fitted on) and averaged (ScoreFusion).</summary>
    public bool Fuse { get; init; }

    /// <summary>With Fuse: also a "fused-fit" row, the terms weighted by a logistic regression fitted on the held-out
    /// normal training images against training images of the fake classes (ScoreFusion.FuseFitted).</summary>
    public bool FitFusionWeights { get; init; }

    /// <summary>Further kinds fitted on the same training images (each with its options and latent sizes), whose
    /// rows are reported and fused with the main model's (--fuse-with).</summary>
    public IReadOnlyList<ClassModelCompanion> Companions { get; init; } = [];

    public bool OneVsRest => RealClass is null;
}

/// <summary>A further kind fitted beside the request's model, for fusion across kinds.</summary>
public sealed record ClassModelCompanion(ModelEntry Model, ModelOptions Options, IReadOnlyList<int> Latents);

// The results of a class-modelling evaluation (ClassModelProtocol.Run): one entry per (real class, model, latent,
// score) with the raw scores of the real and fake test samples, the counts, and the images a report shows.
namespace Latent.Models.Evaluation;

/// <summary>One evaluated (real class, model, latent, score) with its raw test scores and, when asked, the rates at
/// its conformal thresholds.</summary>
public sealed record ClassModelEntry(ClassModelResult Result, double[] RealScores, double[] FakeScores, Conformal.ConformalResult? Conformal = null)
{
    /// <summary>The class index of each fake test sample (FakeScores[i] scores a sample of class FakeLabels[i]), when
    /// the protocol knows it: what PairwiseErrors reads to split a one-vs-rest run into its class pairs.</summary>
    public IReadOnlyList<int>? FakeLabels { get; init; }
}

/// <summary>Test images, and what the reconstructing models made of them, for reports (single real class only).</summary>
public sealed record ClassModelImages(
    float[] Real, float[] Fake, int Count, ImageShape Shape,
    IReadOnlyList<(string Name, float[] Real, float[] Fake)> Reconstructions,
    (string Name, float[] Z, int Dims, int[] Classes, string[] ClassNames)? Codes);

/// <summary>The results of ClassModelProtocol.Run: one entry per (real class, model, latent, score) with its raw test scores, the counts, and what a report shows.</summary>
public sealed record ClassModelRun(
    ClassModelRequest Request, string DataName, IReadOnlyList<string> ClassNames, IReadOnlyList<int> RealClasses,
    IReadOnlyList<ClassModelEntry> Entries, double Seconds, int TrainCount, int RealCount, int FakeCount,
    ClassModelImages? Images = null)
{
    public bool OneVsRest => Request.OneVsRest;

    /// <summary>For a report (single real class): the most novel, most typical and most borderline test images,
    /// explained by the model and score with the highest AUROC among the models that reconstruct.</summary>
    public IReadOnlyList<Explanations.ExplanationCase> Explained { get; init; } = [];

    /// <summary>The training alarms the fitted models raised (after their last epoch): (model caption, alarm).</summary>
    public IReadOnlyList<(string Model, string Alarm)> Alarms { get; init; } = [];
}

/// <summary>What a running evaluation reports: a new step (a class being fitted) or a detail line (an epoch).</summary>
public sealed record ClassModelProgress(bool IsStep, string Message);

// Settings of a judge's training, stored as JSON in its checkpoint. Defaults: logistic regression 10 epochs of Adam
// (lr 1e-3, L2 weight 1e-4 as coupled weight decay, batch 128) reaches about 92.5 % on the MNIST test set; the CNN
// 10 epochs (lr 1e-3 decayed by 0.8 per epoch, L2 0) about 99 % (3 epochs at a constant rate gave 98.58 %, 6 epochs
// decayed by 0.7 gave 98.82 %).
namespace Latent.Models.Exploration.Judges;

/// <summary>Settings of a judge's training, stored as JSON in its checkpoint.</summary>
public sealed record JudgeOptions
{
    public JudgeKind Kind { get; init; } = JudgeKind.Logreg;
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>The learning rate is multiplied by this after every epoch (torch StepLR(step_size=1, gamma), as
    /// pytorch/examples mnist with gamma 0.7); 1 keeps it constant.</summary>
    public float LrDecay { get; init; } = 1f;

    /// <summary>L2 weight lambda: the loss is the mean cross-entropy + lambda/2 ||W||^2 (Adam's coupled weight decay).</summary>
    public float L2 { get; init; } = 1e-4f;
    public int Seed { get; init; }
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;
    public int Classes { get; init; } = 10;

    /// <summary>The defaults of a kind.</summary>
    public static JudgeOptions For(JudgeKind kind) => kind == JudgeKind.Cnn
        ? new JudgeOptions { Kind = kind, Epochs = 10, L2 = 0, LrDecay = 0.8f }
        : new JudgeOptions { Kind = kind };

    /// <summary>Throws an ArgumentException naming the bad setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"judge kind {(int)Kind} is unknown; use logreg or cnn.");
        if (Epochs < 1 || Epochs > 1000) throw new ArgumentException($"judge epochs {Epochs}: give 1 to 1000.");
        if (BatchSize < 1 || BatchSize > 65536) throw new ArgumentException($"judge batch size {BatchSize}: give 1 to 65536.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"judge learning rate {LearningRate} must be a positive number.");
        if (!(LrDecay > 0 && LrDecay <= 1)) throw new ArgumentException($"judge learning-rate decay {LrDecay}: give a factor in (0, 1].");
        if (!(L2 >= 0) || !float.IsFinite(L2)) throw new ArgumentException($"judge L2 weight {L2} must be a finite number >= 0.");
        if (Height < 4 || Width < 4 || Height > 1024 || Width > 1024) throw new ArgumentException($"judge images {Height}x{Width}: give 4 to 1024 pixels a side.");
        if (Kind == JudgeKind.Cnn && (Height % 4 != 0 || Width % 4 != 0)) throw new ArgumentException($"the cnn judge takes images whose sides are multiples of 4, not {Height}x{Width}.");
        if (Classes < 2 || Classes > 1000) throw new ArgumentException($"judge classes {Classes}: give 2 to 1000.");
    }
}

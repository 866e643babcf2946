// Settings of a judge's training, stored as JSON in its checkpoint. Defaults: logistic regression 10 epochs of Adam
// (lr 1e-3, L2 weight 1e-4 as coupled weight decay, batch 128) reaches about 92.5 % on the MNIST test set. The CNN's
// defaults (JudgeOptions.For(Cnn)): conv blocks 32/64, dropout 0.25 on the dense layer, random shifts of up to 2 px,
// 8 epochs of lr 1e-3 decayed by 0.8 per epoch; they were checked on a held-out tenth of the training set before the
// test set was read (docs/EXPLORE.md).
// The record's own defaults for the CNN fields (16/32 channels, no dropout, no augmentation) are those of the first
// judges, so their checkpoints, whose JSON lacks these fields, still read as the network they hold.
using Latent.Models.Training;

namespace Latent.Models.Exploration.Judges;

/// <summary>Settings of a judge's training, stored as JSON in its checkpoint.</summary>
public sealed record JudgeOptions
{
    /// <summary>The largest held-out fraction (the trainers').</summary>
    public const double MaxHeldOut = TrainingOptions.MaxHeldOut;

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

    /// <summary>CNN: output channels of the first and second 3x3 convolution blocks (the first judges: 16 and 32).</summary>
    public int Conv1Channels { get; init; } = 16;
    public int Conv2Channels { get; init; } = 32;

    /// <summary>CNN: dropout probability on the 128 hidden units during training (0: none; inverted dropout, so the
    /// features of a trained judge are the same as without it).</summary>
    public float Dropout { get; init; }

    /// <summary>Random affine augmentation of the training images (the trainers' --augment, Simard et al. 2003).</summary>
    public Augmentation Augment { get; init; } = Augmentation.None;

    /// <summary>Fraction of the training images held out (a seeded draw) to choose settings on: their accuracy is
    /// reported after every epoch and the judge trains on the rest. 0: train on all of them.</summary>
    public double HeldOut { get; init; }

    /// <summary>The defaults of a kind.</summary>
    public static JudgeOptions For(JudgeKind kind) => kind == JudgeKind.Cnn
        ? new JudgeOptions
        {
            Kind = kind, Epochs = 8, L2 = 0, LrDecay = 0.8f, Conv1Channels = 32, Conv2Channels = 64, Dropout = 0.25f,
            Augment = new Augmentation { Shift = 2f },
        }
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
        if (Conv1Channels < 1 || Conv1Channels > 1024 || Conv2Channels < 1 || Conv2Channels > 1024)
            throw new ArgumentException($"judge channels {Conv1Channels},{Conv2Channels}: give 1 to 1024 per convolution block, e.g. 32,64.");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"judge dropout {Dropout}: give a probability in [0, 1).");
        if (Kind == JudgeKind.Logreg && Dropout > 0f) throw new ArgumentException("the logreg judge has no hidden layer to drop out; dropout is for the cnn judge.");
        if (Augment is null) throw new ArgumentException("the judge's augmentation is missing; use 'none' for no augmentation.");
        Augment.Validate();
        if (!(HeldOut >= 0 && HeldOut <= MaxHeldOut)) throw new ArgumentException($"judge held-out fraction {HeldOut}: give 0 (none) to {MaxHeldOut}, e.g. 0.1.");
    }
}

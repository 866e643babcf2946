// The two judges of generated digits (issue 15): multinomial logistic regression, the classic linear classifier that
// seed 002 uses to read interpolations, and a small CNN whose hidden layer gives the features of the MNIST "FID".
namespace Latent.Models.Exploration.Judges;

/// <summary>The two judges of generated digits (issue 15).</summary>
public enum JudgeKind
{
    /// <summary>softmax(W x + b), W (10, 784), L2-regularised (Adam with coupled weight decay).</summary>
    Logreg,
    /// <summary>conv 3x3 32, pool, conv 3x3 64, pool, dense 128 (the FID features), dropout, dense 10 (16/32 channels in the first judges).</summary>
    Cnn,
}

// Training objectives built from the autograd primitives; each says its formula and reference.
//   MSE                 (x - t)^2                                            torch.nn.MSELoss
//   BCE with logits     max(x,0) - x t + ln(1 + e^-|x|)  (fused, stable)     torch.nn.BCEWithLogitsLoss
//   Gaussian KL         KL(N(mu, e^lv) || N(0, I)) = 0.5 sum(mu^2 + e^lv - 1 - lv)   Kingma & Welling 2014, App. B
//   Gaussian NLL        0.5 (ln 2 pi + lv + (x - mu)^2 e^-lv)                torch.nn.GaussianNLLLoss(full=True), var = e^lv
//   cross-entropy       -log_softmax(logits)[label]                          torch.nn.CrossEntropyLoss
using Latent.Tensors;

namespace Latent.Nn.Losses;

/// <summary>Training objectives built from the autograd primitives; each says its formula and reference.</summary>
public static class Loss
{
    /// <summary>Squared error (prediction - target)^2, reduced.</summary>
    public static Tensor Mse(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape("MSE", prediction, target);
        return Reduce((prediction - target).Square(), reduction);
    }

    /// <summary>Binary cross-entropy of logits against targets in [0, 1] (fused primitive), reduced.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape("BCE with logits", logits, target);
        return Reduce(Tensor.BceWithLogits(logits, target), reduction);
    }

    /// <summary>KL(N(mu, diag e^logVar) || N(0, I)) for each sample: mu, logVar (N, Z). Reduction None gives the
    /// per-sample KL (N); BatchMean its mean over the batch (the VAE term); Mean divides by N*Z as torch would.</summary>
    public static Tensor GaussianKl(Tensor mu, Tensor logVar, Reduction reduction = Reduction.BatchMean)
    {
        SameShape("Gaussian KL", mu, logVar);
        Tensor perElement = (mu.Square() + logVar.Exp() - 1f - logVar) * 0.5f;   // (N, Z)
        return reduction == Reduction.None ? perElement.Sum(1) : Reduce(perElement, reduction);
    }

    /// <summary>Negative log-likelihood of <paramref name="target"/> under N(mean, e^logVar), per element
    /// 0.5 (ln 2 pi + logVar + (target - mean)^2 e^-logVar), reduced.</summary>
    public static Tensor GaussianNll(Tensor target, Tensor mean, Tensor logVar, Reduction reduction = Reduction.Mean)
    {
        SameShape("Gaussian NLL", target, mean);
        SameShape("Gaussian NLL", target, logVar);
        Tensor perElement = (logVar + (target - mean).Square() * (-logVar).Exp() + MathF.Log(2 * MathF.PI)) * 0.5f;
        return Reduce(perElement, reduction);
    }

    /// <summary>Cross-entropy of logits (N, C) against class labels in [0, C): -log_softmax(logits)[n, label[n]], reduced
    /// (None gives per-sample (N)).</summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2) throw new ArgumentException($"Cross-entropy expects logits (N, C); got {Tensor.ShapeString(logits.Shape)}.", nameof(logits));
        int n = logits.Dim(0), c = logits.Dim(1);
        if (labels.Length != n) throw new ArgumentException($"Cross-entropy: {labels.Length} labels for {n} rows of logits.", nameof(labels));
        Tensor oneHot = Tensor.Zeros(n, c);
        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)c) throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[i]} at row {i} is outside [0, {c}).");
            oneHot.Data[i * c + labels[i]] = 1f;
        }
        Tensor perSample = -(logits.LogSoftmax() * oneHot).Sum(1);             // (N)
        return reduction switch
        {
            Reduction.None => perSample,
            Reduction.Sum => perSample.Sum(),
            _ => perSample.Mean(),
        };
    }

    /// <summary>Applies a reduction to per-element values (N, ...).</summary>
    public static Tensor Reduce(Tensor perElement, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(perElement);
        return reduction switch
        {
            Reduction.None => perElement,
            Reduction.Mean => perElement.Mean(),
            Reduction.Sum => perElement.Sum(),
            Reduction.BatchMean => perElement.Sum() * (1f / Math.Max(1, perElement.Rows)),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {reduction}."),
        };
    }

    private static void SameShape(string loss, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{loss}: shapes {Tensor.ShapeString(a.Shape)} and {Tensor.ShapeString(b.Shape)} differ; pass tensors of the same shape.");
    }
}

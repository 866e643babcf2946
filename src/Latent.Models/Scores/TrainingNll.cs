// The mean training negative log-likelihood of the typicality score (Nalisnick et al. 2019; ITypicalDensity):
//   mean = (1 / M) sum_{i < M} nll(x_i),   M = min(StatisticsSamples, training images)   nats
// computed by the density in eval mode, 128 images at a time (at most the training batch: in the trainer's pool the
// batches then reuse the training step's arrays). Flows and PixelCNN refit it after every epoch.
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>The mean training negative log-likelihood of the typicality score (Nalisnick et al. 2019; ITypicalDensity).</summary>
public static class TrainingNll
{
    /// <summary>Training images the mean is fitted on.</summary>
    public const int StatisticsSamples = 2048;

    private const int Batch = 128;

    /// <summary>The mean nll (nats) of the first (up to StatisticsSamples) images of <paramref name="data"/>, with
    /// <paramref name="model"/> (the module behind <paramref name="density"/>) in eval mode and no gradient, in batches
    /// of at most <paramref name="maxBatch"/> images, each a step of <paramref name="pool"/> when given.</summary>
    public static double Mean(IDensity density, Module model, Samples data, ImageShape shape, BufferPool? pool = null, int maxBatch = Batch)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(model);
        if (data.Count == 0) throw new ArgumentException("the mean training nll needs at least one training image.");
        if (maxBatch < 1) throw new ArgumentException($"the batch size must be at least 1, got {maxBatch}.");
        if (data.Dim != shape.Dim) throw new ArgumentException($"the model takes {shape} images ({shape.Dim} values); got {data.Dim} values per image.");
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = GradMode.Disable();
            int count = Math.Min(StatisticsSamples, data.Count);
            int batch = Math.Min(Batch, maxBatch);
            double sum = 0;
            for (int start = 0; start < count; start += batch)
            {
                int m = Math.Min(batch, count - start);
                using BufferPool.StepScope? step = pool?.Step();
                Tensor x = Tensor.FromSpan(data.X.AsSpan(start * data.Dim, m * data.Dim), m, shape.Channels, shape.Height, shape.Width);   // (m, C, H, W)
                foreach (float v in density.NegativeLogLikelihood(x).Data) sum += v;
            }
            return sum / count;
        }
        finally { model.Train(training); }
    }
}

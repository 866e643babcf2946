// The statistics of the training class that some scores need (IClassStatistics), fitted after training in eval mode
// on (up to MaxSamples evenly spaced) training images and stored in the model's buffers:
//   code mean m_j and variance v_j of z = E(x)  (floored at 1e-6)        latent-nll-fit
//   s^2 = mean over images and values of (x - mean G(E(x)))^2 (floored)  combined (x = G(z) + e, e ~ N(0, s^2 I))
// The forward passes run in batches of at most the training batch size, each a step of the trainer's BufferPool, so
// they reuse the training steps' arrays instead of allocating their own.
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>The statistics of the training class that some scores need (IClassStatistics), fitted after training in eval mode on (up to MaxSamples evenly spaced) training images and stored in the model's buffers.</summary>
public static class ClassStatistics
{
    public const int MaxSamples = 4096;
    private const int Batch = 256;

    /// <summary>Floor of the per-pixel noise variance s^2 (images in [0, 1]).</summary>
    public const double MinNoiseVar = 1e-6;

    /// <summary>Fits the statistics of <paramref name="model"/> (an encoder, generator and statistics holder) on
    /// <paramref name="data"/>; <paramref name="pool"/> recycles the batches' arrays (null: a pool of this call).</summary>
    public static void Fit<TModel>(TModel model, Samples data, BufferPool? pool = null)
        where TModel : GenerativeModel, IEncoder, IGenerator, IClassStatistics =>
        Fit(model, model, model, model, data, MaxSamples, pool);

    /// <summary>Fits the statistics of <paramref name="model"/> with the codes of <paramref name="encoder"/> (a latent
    /// search for a generator without an encoder) on up to <paramref name="maxSamples"/> images of <paramref name="data"/>.
    /// The batches run in steps of <paramref name="pool"/> when the model encodes by itself; a latent search runs many
    /// optimisation steps per batch, whose arrays the garbage collector reclaims as it goes.</summary>
    public static void Fit(GenerativeModel model, IEncoder encoder, IGenerator generator, IClassStatistics statistics, Samples data, int maxSamples,
        BufferPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(statistics);
        bool pooled = ReferenceEquals(encoder, model);
        pool ??= new BufferPool();
        int count = Math.Min(Math.Min(MaxSamples, maxSamples), data.Count), z = encoder.Latent, batch = Math.Min(Batch, model.Training.BatchSize);
        var shape = generator.Shape;
        var sum = new double[z];
        var sq = new double[z];
        double residual = 0;
        bool training = model.IsTraining;
        model.Eval();
        using (GradMode.Disable())
        {
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                using BufferPool.StepScope? step = pooled ? pool.Step() : null;
                Tensor x = Tensor.Uninitialized(n, shape.Channels, shape.Height, shape.Width);
                for (int i = 0; i < n; i++)
                    data.Row((int)((long)(start + i) * data.Count / count)).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
                Tensor code = encoder.Encode(x);                                   // (n, Z)
                Tensor mean = generator.Mean(generator.Decode(code));              // (n, C, H, W)
                ReadOnlySpan<float> c = code.Data;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < z; j++)
                    {
                        double v = c[i * z + j];
                        sum[j] += v;
                        sq[j] += v * v;
                    }
                ReadOnlySpan<float> xd = x.Data, md = mean.Data;
                for (int i = 0; i < xd.Length; i++) residual += (double)(xd[i] - md[i]) * (xd[i] - md[i]);
            }
        }
        for (int j = 0; j < z; j++)
        {
            double m = sum[j] / count;
            statistics.CodeMean.Data[j] = (float)m;
            statistics.CodeVar.Data[j] = (float)Math.Max(1e-6, sq[j] / count - m * m);
        }
        statistics.NoiseVar.Data[0] = (float)Math.Max(MinNoiseVar, residual / ((double)count * data.Dim));
        model.Train(training);
    }
}

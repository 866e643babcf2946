// The statistics of the training class that some scores need, fitted after training in eval mode on (up to
// MaxSamples evenly spaced) training images and stored in the model's buffers:
//   code mean m_j and variance v_j of z = E(x)  (floored at 1e-6)        latent-nll-fit
//   s^2 = mean over images and pixels of (x - mean G(E(x)))^2 (floored)  combined (x = G(z) + e, e ~ N(0, s^2 I)),
//                                                                        and the Gaussian decoder's sigma^2
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

public static class AutoencoderStatistics
{
    public const int MaxSamples = 4096;
    private const int Batch = 256;

    /// <summary>Fits the statistics in batches of at most the training batch size, each a step of
    /// <paramref name="pool"/> (the trainer passes its own: the forward passes reuse the training step's arrays;
    /// null: a pool of this call).</summary>
    public static void Fit(AutoencoderModel model, Samples data, BufferPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        pool ??= new BufferPool();
        int count = Math.Min(MaxSamples, data.Count), z = model.Latent, batch = Math.Min(Batch, model.Options.BatchSize);
        var sum = new double[z];
        var sq = new double[z];
        double residual = 0;
        model.Eval();
        using (GradMode.Disable())
        {
            var net = model.Options.Network;
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                using BufferPool.StepScope step = pool.Step();
                Tensor x = Tensor.Uninitialized(n, 1, net.Height, net.Width);
                for (int i = 0; i < n; i++)
                    data.Row((int)((long)(start + i) * data.Count / count)).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
                Tensor code = model.Encode(x);                                     // (n, Z)
                Tensor mean = model.Mean(model.Decode(code));                      // (n, 1, H, W)
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
            model.CodeMean.Data[j] = (float)m;
            model.CodeVar.Data[j] = (float)Math.Max(1e-6, sq[j] / count - m * m);
        }
        model.NoiseVar.Data[0] = (float)Math.Max(AutoencoderModel.MinNoiseVar, residual / ((double)count * data.Dim));
        if (model.DecoderLogVar is not null) model.DecoderLogVar.Data[0] = MathF.Log(model.NoiseVar.Data[0]);
        model.Train();
    }
}

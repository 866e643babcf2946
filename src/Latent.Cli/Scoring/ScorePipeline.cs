// The streaming loop of `latent score`: a producer task reads and decodes batch b + 1 (ScoreInput.Read; a folder's
// files on all cores) while the caller's thread scores and writes batch b (the model's kernels use all cores too), with
// at most one decoded batch waiting between them, so memory is a few batches whatever the input's size. Batches reach
// the consumer in input order. An error on either side stops both: the producer's is rethrown on the caller's thread
// after the batches before it were consumed, the consumer's cancels the producer.
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Latent.Cli.Scoring;

internal static class ScorePipeline
{
    /// <summary>Images [<paramref name="first"/>, <paramref name="end"/>) of <paramref name="input"/> in batches of
    /// <paramref name="batch"/>, each handed to <paramref name="consume"/> in order.</summary>
    public static void Run(ScoreInput input, long first, long end, int batch, Action<ImageBatch> consume)
    {
        var channel = Channel.CreateBounded<ImageBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failed = null;
        var producer = Task.Run(async () =>
        {
            try
            {
                for (long s = first; s < end; s += batch)
                    await channel.Writer.WriteAsync(input.Read(s, (int)Math.Min(batch, end - s)), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
#pragma warning disable CA1031 // any error of the producer is handed to the consumer's thread, which rethrows it as it was
            catch (Exception e) { failed = ExceptionDispatchInfo.Capture(e); }
#pragma warning restore CA1031
            finally { channel.Writer.Complete(); }
        });
        try
        {
            while (channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (channel.Reader.TryRead(out var b)) consume(b);
        }
        finally
        {
            stop.Cancel();
            producer.GetAwaiter().GetResult();
        }
        failed?.Throw();
    }
}

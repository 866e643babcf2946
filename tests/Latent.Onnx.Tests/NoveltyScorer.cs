// docs/ONNX.md's serving example, compiled and run by ServeExampleTests (the doc quotes this file whole, and a test
// checks that it does). It needs only the NuGet package Microsoft.ML.OnnxRuntime: no Latent assembly.
using Microsoft.ML.OnnxRuntime;

namespace Latent.Onnx.Tests;

/// <summary>Scores images with a model that `latent export --format onnx` wrote.</summary>
public sealed class NoveltyScorer : IDisposable
{
    private readonly SessionOptions options;
    private readonly InferenceSession session;

    /// <param name="onnxPath">The exported file.</param>
    /// <param name="threads">Intra-op threads (0: ONNX Runtime's default, one per core).</param>
    /// <param name="spinning">Whether idle worker threads spin-wait (ONNX Runtime's default): off, they sleep, which
    /// measured 1.5 to 1.9 times faster on a machine whose cores other processes share.</param>
    public NoveltyScorer(string onnxPath, int threads = 0, bool spinning = false)
    {
        options = new SessionOptions { IntraOpNumThreads = threads };
        if (!spinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        session = new InferenceSession(onnxPath, options);
        long[] dims = [.. session.InputMetadata["images"].Dimensions.Select(d => (long)d)];   // [-1, C, H, W]
        Channels = dims[1];
        Height = dims[2];
        Width = dims[3];
        var meta = session.ModelMetadata.CustomMetadataMap;
        ScoreName = meta["latent.score"];
        ScoreUnits = meta["latent.score.units"];
    }

    public long Channels { get; }
    public long Height { get; }
    public long Width { get; }

    /// <summary>The score the file computes (e.g. "recon"), and its units; higher = more novel.</summary>
    public string ScoreName { get; }
    public string ScoreUnits { get; }

    /// <summary>The scores of <paramref name="count"/> images given as (count, C, H, W) pixels in [0, 1], row-major.</summary>
    public float[] Score(float[] images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Length != count * Channels * Height * Width)
            throw new ArgumentException($"{count} images of {Channels}x{Height}x{Width} need {count * Channels * Height * Width} values, got {images.Length}.");
        using var input = OrtValue.CreateTensorValueFromMemory(images, [count, Channels, Height, Width]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, ["images"], [input], ["score"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        session.Dispose();
        options.Dispose();
    }
}

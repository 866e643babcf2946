// Runs an exported graph with ONNX Runtime (the OrtValue API) on images in batches, concatenating each output.
using Latent.Models;
using Microsoft.ML.OnnxRuntime;

namespace Latent.Onnx.Tests;

internal static class Ort
{
    /// <summary>Every output of the graph for every image: name -> (N * per-image values).</summary>
    public static Dictionary<string, float[]> Run(byte[] model, Samples x, int batch = 250)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var result = session.OutputNames.ToDictionary(n => n, _ => new List<float>());
        var shape = x.Shape;
        for (int start = 0; start < x.Count; start += batch)
        {
            int n = Math.Min(batch, x.Count - start);
            float[] chunk = x.X.AsSpan(start * x.Dim, n * x.Dim).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(chunk, [n, shape.Channels, shape.Height, shape.Width]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["images"], [input], session.OutputNames);
            for (int i = 0; i < outputs.Count; i++) result[session.OutputNames[i]].AddRange(outputs[i].GetTensorDataAsSpan<float>().ToArray());
        }
        return result.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }
}

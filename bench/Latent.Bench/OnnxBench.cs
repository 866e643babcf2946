// `onnx --model-file M`: the exported graph in ONNX Runtime against our own scorer, side by side in one process, on the
// first 1,000 MNIST test images (fetched on first use). Correctness first: ONNX Runtime's scores equal ours to 1e-4 of
// max(|score|, 1) (as tests/Latent.Onnx.Tests). Then, alternating, median of --repeats runs each (after a warm-up):
//   ours-score       GenerativeScores limited to the exported score (what `latent score --score S` computes), batches of 128
//   ours-all         every score of the model (what `latent score` computes by default; jacobian included), once
//   onnxruntime      InferenceSession.Run on the whole 1,000 images at once, intra-op threads = cores
//   onnxruntime-128  the same in batches of 128 (as our scorer batches)
//   no spinning      batches of 128, session.intra_op.allow_spinning = 0 (idle workers sleep instead of spinning)
// Both use every core. Images per second = 1,000 / seconds.
using System.Diagnostics;
using System.Text.Json;
using Latent.Data;
using Latent.Models;
using Latent.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Latent.Bench;

public static class OnnxBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        bool json = args.Contains("--json");
        string path = BenchArgs.Option(args, "--model-file") ?? throw new ArgumentException("onnx: give --model-file M (a model written by `latent train`).");
        int repeats = int.Parse(BenchArgs.Option(args, "--repeats") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var test = Datasets.Load(DatasetInfo.Mnist, Split.Test, new DataCache(), log: Console.Error);
        var x = new Samples(test.Pixels, test.Count, Latent.Models.ImageShape.Gray(28, 28)).Slice(0, 1000);
        var loaded = ModelFile.Load(path);
        string score = OnnxExport.ChooseScore(loaded, BenchArgs.Option(args, "--score")).Name;
        var only = ModelFile.Load(path, [score]).Model;
        byte[] bytes = OnnxExport.ToBytes(loaded, score);

        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        // the same without spin-waiting worker threads (ONNX Runtime's default spins, which costs on a shared machine)
        using var quiet = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
        quiet.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var quietSession = new InferenceSession(bytes, quiet);
        float[] Ort(int batch) => RunOrt(session, batch);
        float[] RunOrt(InferenceSession session, int batch)
        {
            var result = new List<float>(x.Count);
            for (int start = 0; start < x.Count; start += batch)
            {
                int n = Math.Min(batch, x.Count - start);
                using var input = OrtValue.CreateTensorValueFromMemory(x.X.AsSpan(start * x.Dim, n * x.Dim).ToArray(), [n, 1, 28, 28]);
                using var run = new RunOptions();
                using var outputs = session.Run(run, ["images"], [input], ["score"]);
                result.AddRange(outputs[0].GetTensorDataAsSpan<float>().ToArray());
            }
            return [.. result];
        }

        double[] ours = only.Score(x)[score];
        float[] theirs = Ort(x.Count);
        double worst = 0;
        for (int i = 0; i < ours.Length; i++) worst = Math.Max(worst, Math.Abs(theirs[i] - ours[i]) / Math.Max(1, Math.Abs(ours[i])));
        if (!(worst <= 1e-4)) { Console.Error.WriteLine($"onnx: ONNX Runtime's {score} differs from ours by {worst:E2} (relative): not timing a wrong graph."); return 1; }

        var timesOurs = new List<double>();
        var timesOrt = new List<double>();
        var timesOrt128 = new List<double>();
        var timesQuiet = new List<double>();
        RunOrt(quietSession, 128);
        for (int r = 0; r < repeats; r++)
        {
            timesOurs.Add(Time(() => only.Score(x)));
            timesOrt.Add(Time(() => Ort(x.Count)));
            timesOrt128.Add(Time(() => Ort(128)));
            timesQuiet.Add(Time(() => RunOrt(quietSession, 128)));
        }
        double all = Time(() => loaded.Model.Score(x));
        var doc = new
        {
            model = loaded.Entry.Name,
            modelFile = Path.GetFullPath(path),
            score,
            images = x.Count,
            cores = Environment.ProcessorCount,
            onnxBytes = bytes.Length,
            worstRelativeError = worst,
            oursScoreSeconds = Median(timesOurs),
            oursAllScoresSeconds = all,
            onnxRuntimeSeconds = Median(timesOrt),
            onnxRuntimeBatch128Seconds = Median(timesOrt128),
            onnxRuntimeBatch128NoSpinSeconds = Median(timesQuiet),
            repeats,
        };
        if (json) Console.WriteLine(JsonSerializer.Serialize(doc, Indented));
        else
        {
            Console.WriteLine($"{doc.model} ({path}), score {score}, {x.Count} MNIST test images, {doc.cores} cores, median of {repeats}; ONNX Runtime = ours to {worst:E2}");
            Line($"ours, --score {score}", doc.oursScoreSeconds, x.Count);
            Line("ours, every score (latent score's default)", all, x.Count);
            Line("ONNX Runtime, one batch of 1000", doc.onnxRuntimeSeconds, x.Count);
            Line("ONNX Runtime, batches of 128", doc.onnxRuntimeBatch128Seconds, x.Count);
            Line("ONNX Runtime, batches of 128, no spinning", doc.onnxRuntimeBatch128NoSpinSeconds, x.Count);
            Console.WriteLine($"ratio ours / ONNX Runtime (same score; above 1 = ONNX Runtime faster): {doc.oursScoreSeconds / doc.onnxRuntimeSeconds:F2}x (one batch), " +
                $"{doc.oursScoreSeconds / doc.onnxRuntimeBatch128Seconds:F2}x (batches of 128), {doc.oursScoreSeconds / doc.onnxRuntimeBatch128NoSpinSeconds:F2}x (no spinning); " +
                $"every score / ONNX Runtime: {all / doc.onnxRuntimeSeconds:F1}x");
        }
        return 0;
    }

    private static void Line(string what, double seconds, int n) => Console.WriteLine($"  {what,-45} {seconds,8:F3} s  {n / seconds,9:F0} images/s");

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}

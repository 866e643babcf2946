// Benchmark runner: `dotnet run -c Release --project bench/Latent.Bench -- <name> [--json]`. The first line says
// which commit and SDK made the figures (BenchHeader): on stdout, or on stderr with --json (stdout stays one JSON).
namespace Latent.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.FirstOrDefault() is "classical" or "gemm" or "train" or "conv" or "pixelcnn" or "explain" or "onnx" or "codecs" or "cpuclock")
            (args.Contains("--json") ? Console.Error : Console.Out).WriteLine(BenchHeader.Line(args));
        switch (args.FirstOrDefault())
        {
            case "classical": return ClassicalBench.Run(args);
            case "gemm": return GemmBench.Run(args);
            case "train" when args.Length > 1 && args[1] is "dcgan" or "bigan" or "bigan-dense" or "infogan": return GanTrainBench.Run(args);
            case "train" when args.Length > 1 && args[1] == "realnvp": return FlowTrainBench.Run(args);
            case "train": return TrainBench.Run(args);
            case "conv": return ConvBench.Run(args);
            case "pixelcnn": return PixelCnnBench.Run(args);
            case "explain": return ExplainBench.Run(args);
            case "onnx": return OnnxBench.Run(args);
            case "codecs": return CodecBench.Run(args);
            case "cpuclock": return CpuClockCheck.Run(args);
            default:
                Console.Error.WriteLine("usage: Latent.Bench <classical|gemm|train|conv|pixelcnn|explain|onnx|codecs|cpuclock> [--json]");
                return 2;
        }
    }
}

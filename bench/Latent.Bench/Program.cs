// Benchmark runner: `dotnet run -c Release --project bench/Latent.Bench -- <name> [--json]`. Every benchmark prints
// its peak resident memory and managed heap beside its speed (BenchMemory.cs; JSON members peakRssMB, heapMB, peakHeapMB).
namespace Latent.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.FirstOrDefault())
        {
            case "classical": return ClassicalBench.Run(args);
            case "gemm": return GemmBench.Run(args);
            case "train" when args.Length > 1 && args[1] is "conv-vae" or "dcgan": return ConvTrainBench.Run(args);
            case "train": return TrainBench.Run(args);
            case "conv": return ConvBench.Run(args);
            default:
                Console.Error.WriteLine("usage: Latent.Bench <classical|gemm|train|conv> [--json]");
                return 2;
        }
    }
}

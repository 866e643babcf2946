// Benchmark runner: `dotnet run -c Release --project bench/Latent.Bench -- <name> [--json]`.
namespace Latent.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.Length > 0 ? args[0] : "")
        {
            case "gemm": return GemmBench.Run(args);
            case "train" when args.Length > 1 && args[1] is "conv-vae" or "dcgan": return ConvTrainBench.Run(args);
            case "train": return TrainBench.Run(args);
            case "conv": return ConvBench.Run(args);
            case "classical": return ClassicalBench.Run(args);
            default:
                Console.Error.WriteLine("usage: Latent.Bench <name> [--json]");
                return 2;
        }
    }
}

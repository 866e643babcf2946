// Benchmark runner: `dotnet run -c Release --project bench/Latent.Bench -- <name> [--json]`.
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
            case "train": return TrainBench.Run(args);
            default:
                Console.Error.WriteLine("usage: Latent.Bench <classical|gemm|train> [--json]");
                return 2;
        }
    }
}

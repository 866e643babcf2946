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
            default:
                Console.Error.WriteLine("usage: Latent.Bench <name> [--json]");
                return 2;
        }
    }
}

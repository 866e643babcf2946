// Benchmark runner: `dotnet run -c Release --project bench/Latent.Bench -- <name> [--json]`.
namespace Latent.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.Length > 0 ? args[0] : "")
        {
            case "train": return TrainBench.Run(args);
        }
        Console.Error.WriteLine("usage: Latent.Bench <name> [--json]");
        return 2;
    }
}

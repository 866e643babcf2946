// What the training benchmarks share: their few options and the workload's data (MNIST training 3s).
using System.Globalization;
using Latent.Data;

namespace Latent.Bench;

internal static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>--epochs N (at least 1).</summary>
    public static int Epochs(string[] args, int fallback = 5)
    {
        int epochs = int.Parse(Option(args, "--epochs") ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(args), "--epochs must be at least 1.");
        return epochs;
    }

    /// <summary>Applies --threads T (through LATENT_THREADS, read by the kernels' pool when it starts) and returns the count in force.</summary>
    public static int Threads(string[] args)
    {
        string? threadsArg = Option(args, "--threads");
        if (threadsArg is not null) Environment.SetEnvironmentVariable("LATENT_THREADS", threadsArg);
        return Latent.Tensors.Threading.KernelThreads.Count;
    }

    /// <summary>(6131 * 784) pixels of the MNIST training 3s: from --data-dir, $MNIST_DIR, or Latent's cache (fetched on first use).</summary>
    public static float[] TrainingThrees(string[] args)
    {
        string? dir = Option(args, "--data-dir") ?? Environment.GetEnvironmentVariable("MNIST_DIR");
        ImageSet train = dir is not null
            ? Datasets.LoadFrom(dir, DatasetInfo.Mnist, Split.Train)
            : Datasets.Load(DatasetInfo.Mnist, Split.Train, new DataCache(), fetch: true, log: Console.Error);
        return train.OfClass(3).Pixels;
    }
}

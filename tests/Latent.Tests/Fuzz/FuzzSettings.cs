// A campaign's budget: seed, iterations, per-input bounds, and where findings go. The test suite uses fixed values
// (deterministic, a few seconds per target); scripts/fuzz.sh raises them through environment variables:
//   LATENT_FUZZ_SEED        the seed (a number; the suite's fixed seed when unset)
//   LATENT_FUZZ_ITERATIONS  mutated inputs per target (the test's own budget when unset)
//   LATENT_FUZZ_SECONDS     an additional wall-clock cap per target (long runs only; unset in the suite)
//   LATENT_FUZZ_OUT         the findings folder (default: fuzz-findings beside the test assembly)
//   LATENT_FUZZ_MINIMIZE    executions spent minimising each distinct finding (default 300)
using System.Globalization;

namespace Latent.Tests.Fuzz;

public sealed record FuzzSettings
{
    public ulong Seed { get; init; }
    public int Iterations { get; init; }
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>An input taking longer is a hang (the bound: refused within 5 s).</summary>
    public TimeSpan InputTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An input of at most 64 KB that allocates more than this is a finding.</summary>
    public long MaxAllocatedBytes { get; init; } = 256L << 20;

    public int MinimizeExecutions { get; init; } = 300;

    public string FindingsDir { get; init; } = Path.Combine(AppContext.BaseDirectory, "fuzz-findings");

    public static FuzzSettings FromEnvironment(ulong seed, int iterations)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        static T Parse<T>(string name, string text) where T : IParsable<T> =>
            T.TryParse(text, CultureInfo.InvariantCulture, out T? v) ? v
            : throw new ArgumentException($"{name}={text} is not a valid number; unset it or give e.g. {name}=1000.");
        var s = new FuzzSettings { Seed = seed, Iterations = iterations };
        if (Env("LATENT_FUZZ_SEED") is { } sd) s = s with { Seed = Parse<ulong>("LATENT_FUZZ_SEED", sd) };
        if (Env("LATENT_FUZZ_ITERATIONS") is { } it) s = s with { Iterations = Parse<int>("LATENT_FUZZ_ITERATIONS", it) };
        if (Env("LATENT_FUZZ_SECONDS") is { } sec) s = s with { MaxDuration = TimeSpan.FromSeconds(Parse<double>("LATENT_FUZZ_SECONDS", sec)) };
        if (Env("LATENT_FUZZ_OUT") is { } o) s = s with { FindingsDir = Path.GetFullPath(o) };
        if (Env("LATENT_FUZZ_MINIMIZE") is { } m) s = s with { MinimizeExecutions = Parse<int>("LATENT_FUZZ_MINIMIZE", m) };
        return s;
    }
}

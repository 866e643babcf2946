// Shrinks a finding's input while it keeps the same signature: delta debugging's "remove a chunk" step (Zeller and
// Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", TSE 2002) with chunks halving from half the
// input to one byte, bounded by a number of executions.
namespace Latent.Tests.Fuzz;

public static class Minimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], bool> reproduces, int maxExecutions)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reproduces);
        byte[] best = input;
        int execs = 0;
        for (int chunk = Math.Max(1, best.Length / 2); execs < maxExecutions; chunk /= 2)
        {
            for (int at = 0; at < best.Length && execs < maxExecutions;)
            {
                int len = Math.Min(chunk, best.Length - at);
                byte[] candidate = [.. best.AsSpan(0, at), .. best.AsSpan(at + len)];
                execs++;
                if (reproduces(candidate)) best = candidate;
                else at += len;
            }
            if (chunk == 1) break;
        }
        return best;
    }
}

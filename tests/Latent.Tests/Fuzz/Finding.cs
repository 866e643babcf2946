// One distinct finding of a campaign: its signature, the first input that showed it, a minimised reproducer and
// how often it was hit; Describe() is the text written beside the reproducer and into the test's failure message.
using System.Globalization;
using System.Text;

namespace Latent.Tests.Fuzz;

public sealed class Finding(string target, FuzzOutcome outcome, byte[] input, long iteration)
{
    /// <summary>Reproducers up to this many bytes are printed whole in hex; longer ones are cut (the file has them all).</summary>
    public const int HexBytes = 2048;

    public string Target { get; } = target;
    public FuzzOutcome Outcome { get; } = outcome;
    public byte[] Input { get; } = input;
    public byte[] Minimized { get; set; } = input;
    public long FirstIteration { get; } = iteration;
    public int Hits { get; set; } = 1;
    public string? File { get; set; }

    public string Describe(bool withHex = true)
    {
        var sb = new StringBuilder();
        Exception? e = Outcome.Error;
        sb.Append(CultureInfo.InvariantCulture, $"[{Target}] {Outcome.Kind}: {Outcome.Signature}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  why: {Outcome.Reason}\n");
        if (e is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  exception: {e.GetType().FullName}: {FirstLine(e.Message)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  top frame: {CleanErrors.Describe(CleanErrors.ThrowingFrame(e))}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  first Latent frame: {CleanErrors.Describe(CleanErrors.ProjectFrame(e))}\n");
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"  allocated {Outcome.Run.AllocatedBytes:N0} bytes in {Outcome.Run.Elapsed.TotalMilliseconds:0} ms; hit {Hits} times, first at iteration {FirstIteration}\n");
        if (File is not null) sb.Append(CultureInfo.InvariantCulture, $"  reproducer: {File}\n");
        if (withHex)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  minimal reproducer ({Minimized.Length} bytes, from {Input.Length}):\n");
            sb.Append(Hex(Minimized));
        }
        return sb.ToString();
    }

    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int nl = text.IndexOf('\n', StringComparison.Ordinal);
        string line = nl < 0 ? text : text[..nl];
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    /// <summary>Hex, 32 bytes a line, cut after <see cref="HexBytes"/>.</summary>
    public static string Hex(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var sb = new StringBuilder();
        int n = Math.Min(bytes.Length, HexBytes);
        for (int i = 0; i < n; i += 32)
            sb.Append("    ").Append(Convert.ToHexString(bytes, i, Math.Min(32, n - i))).Append('\n');
        if (n < bytes.Length) sb.Append(CultureInfo.InvariantCulture, $"    ... ({bytes.Length - n} more bytes in the reproducer file)\n");
        return sb.ToString();
    }
}

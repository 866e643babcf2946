// Options that take one of a few names (--lr-schedule, --likelihood, --arch, --metric, --penalty): case-insensitive
// lookup, null for an absent option, and one error form naming the option, the bad value and the choices.
namespace Latent.Cli;

internal static class CliChoice
{
    /// <summary>The value named by <paramref name="text"/> (null when the option was not given).</summary>
    public static T? Parse<T>(string? text, string option, string noun, params (string Name, T Value)[] choices) where T : struct
    {
        if (text is null) return null;
        foreach (var (name, value) in choices)
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        throw new CliException($"{option}: unknown {noun} '{text}'; use {string.Join(" or ", choices.Select(c => c.Name))}.");
    }
}

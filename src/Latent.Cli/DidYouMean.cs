// " (did you mean 'x'?)" for a mistyped name: the closest candidate by edit distance (ModelRegistry.EditDistance,
// Levenshtein), offered when at most 2 edits away (or a third of the name for long names).
using Latent.Models;

namespace Latent.Cli;

internal static class DidYouMean
{
    public static string Suggest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        var best = candidates.Select(c => (Name: c, D: ModelRegistry.EditDistance(name.ToLowerInvariant(), c.ToLowerInvariant()))).MinBy(x => x.D);
        return best.Name is not null && best.D > 0 && best.D <= Math.Max(2, name.Length / 3) ? $" (did you mean '{best.Name}'?)" : "";
    }
}

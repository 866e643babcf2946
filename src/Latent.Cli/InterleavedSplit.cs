// The held-out part of a labelled dataset without its own split (a folder of class folders, a CSV table): within each
// class, taken in file order, item j (from 0) is held out iff floor((j + 1) f) > floor(j f), which holds out
// round-down(n f) or one more of each class's n items, spread evenly (f = 0.2: items 4, 9, 14, ...). It needs no random
// generator, so any tool reproduces it exactly (scripts/peer_tabular.py does, for the scikit-learn peers); for files
// in a meaningful order (by date) it is a systematic sample, not a random one.
namespace Latent.Cli;

public static class InterleavedSplit
{
    /// <summary>(kept, held out) row indices, each ascending.</summary>
    public static (int[] Kept, int[] HeldOut) Of(IReadOnlyList<int> labels, double fraction)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var seen = new Dictionary<int, int>();
        var kept = new List<int>();
        var held = new List<int>();
        for (int i = 0; i < labels.Count; i++)
        {
            int j = seen.GetValueOrDefault(labels[i]);
            seen[labels[i]] = j + 1;
            (Math.Floor((j + 1) * fraction) > Math.Floor(j * fraction) ? held : kept).Add(i);
        }
        return ([.. kept], [.. held]);
    }
}

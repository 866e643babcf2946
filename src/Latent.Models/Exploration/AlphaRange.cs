// A sweep of alpha: Steps evenly spaced values from From to To inclusive, parsed from "from:to:steps" (e.g. "-2:2:9",
// seed 002's move experiment; "0:1:10" for a line between centroids). Empty (steps < 1, or to < from) and non-finite
// ranges are errors that show a valid one.
using System.Globalization;

namespace Latent.Models.Exploration;

/// <summary>A sweep of alpha: Steps evenly spaced values from From to To inclusive, parsed from "from:to:steps" (e.g. "-2:2:9", seed 002's move experiment; "0:1:10" for a line between centroids).</summary>
public sealed record AlphaRange(double From, double To, int Steps)
{
    /// <summary>Most values one sweep may have.</summary>
    public const int MaxSteps = 64;

    /// <summary>The values, From first, To last (one value: From).</summary>
    public IReadOnlyList<double> Values()
    {
        Validate();
        if (Steps == 1) return [From];
        return Enumerable.Range(0, Steps).Select(k => k == Steps - 1 ? To : From + (To - From) * k / (Steps - 1)).ToArray();
    }

    /// <summary>Throws an ArgumentException for an empty or non-finite range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(From) || !double.IsFinite(To))
            throw new ArgumentException($"alpha range {Text()} is not finite; give finite numbers, e.g. -2:2:9.");
        if (Steps < 1 || Steps > MaxSteps) throw new ArgumentException($"alpha range {Text()} has {Steps} steps; give 1 to {MaxSteps}, e.g. -2:2:9.");
        if (To < From) throw new ArgumentException($"alpha range {Text()} is empty (it ends before it starts); give from <= to, e.g. -2:2:9.");
        if (Steps > 1 && To == From) throw new ArgumentException($"alpha range {Text()} is empty (from = to with {Steps} steps); give from < to, or 1 step.");
    }

    /// <summary>Parses "from:to:steps".</summary>
    public static AlphaRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 3
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int s))
            throw new ArgumentException($"alpha range '{text}' is not from:to:steps; e.g. -2:2:9 (nine values from -2 to 2).");
        var r = new AlphaRange(a, b, s);
        r.Validate();
        return r;
    }

    private string Text() => string.Create(CultureInfo.InvariantCulture, $"{From}:{To}:{Steps}");
}

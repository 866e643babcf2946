// The one-line summary of an Explanation, e.g.
//   "novel, p = 0.003: 81 % of the excess over the class's typical combined is reconstruction error, concentrated in
//    the upper left; furthest latent dimensions z3 +4.1 sd, z7 -3.2 sd; nearest training image #812 at 2.31"
// Each part appears only when the explanation has what it needs (calibration, reference images, a reconstruction).
using System.Globalization;
using System.Text;

namespace Latent.Models.Explanations;

/// <summary>The one-line summary of an Explanation, e.g. "novel, p = 0.003.</summary>
public static class ExplanationSummary
{
    public static string Of(Explanation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var sb = new StringBuilder();
        sb.Append(e.PValue is double p
            ? $"{(e.Novel == true ? "novel" : "normal")}, p = {P(p)}"
            : $"{e.Score} {F(e.Value)} (no p-value: the model has no calibration scores)");
        sb.Append(": ");
        bool reconLeads = false;
        if (e.LeadingTerm is string lead && e.Terms.Count > 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{100 * e.LeadingShare:0} % of the excess over the class's typical {e.Score} is {ScoreTerms.Meaning(lead)}");
            reconLeads = ScoreTerms.IsReconstruction(lead);
        }
        else if (e.Terms.Count > 1)
            sb.Append(CultureInfo.InvariantCulture, $"{e.Score} = {string.Join(" + ", e.Terms.Select(t => $"{t.Name} {F(t.Value)}"))}");
        else if (double.IsFinite(e.Typical))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{e.Score} {F(e.Value)} against the class's typical {F(e.Typical)}");
            reconLeads = ScoreTerms.IsReconstruction(e.Score);
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"{e.Score} {F(e.Value)}");
            reconLeads = ScoreTerms.IsReconstruction(e.Score);
        }
        if (e.Residual is { } r) sb.Append(reconLeads ? $", {r.Where}" : $"; residual {r.Where}");
        if (e.Deviations.Count > 0)
            sb.Append("; furthest latent dimensions ").Append(string.Join(", ", e.Deviations.Take(2).Select(d =>
                string.Create(CultureInfo.InvariantCulture, $"z{d.Dimension} {d.Z:+0.0;-0.0} sd"))));
        if (e.Neighbours.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"; nearest training image #{e.Neighbours[0].Index} at {F(e.Neighbours[0].Distance)}");
        return sb.ToString();
    }

    /// <summary>A p-value: three decimals from 0.001 up, else two significant digits.</summary>
    public static string P(double p) => p >= 0.001 ? p.ToString("0.###", CultureInfo.InvariantCulture) : p.ToString("G2", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

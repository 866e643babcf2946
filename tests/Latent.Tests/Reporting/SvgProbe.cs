// Reads a plot back from its SVG text: parses it as XML (so a malformed document fails the test), recovers
// the data-to-pixel mapping of each axis from the tick marks' data-value attributes, and finds elements.
using System.Globalization;
using System.Xml.Linq;

namespace Latent.Tests.Reporting;

internal sealed class SvgProbe
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public SvgProbe(string svg)
    {
        Doc = XDocument.Parse(svg);
        Assert.Equal(Ns + "svg", Doc.Root!.Name);
        (XA, XB) = Fit(Group("xticks"), "x1");
        (YA, YB) = Fit(Group("yticks"), "y1");
    }

    public XDocument Doc { get; }

    // pixel = A + B * value
    public double XA { get; }
    public double XB { get; }
    public double YA { get; }
    public double YB { get; }

    public double PixelX(double v) => XA + XB * v;
    public double PixelY(double v) => YA + YB * v;

    public static double D(XElement e, string attr) => double.Parse(e.Attribute(attr)!.Value, CultureInfo.InvariantCulture);

    /// <summary>Elements under the first group whose class list contains every class in <paramref name="classes"/>.</summary>
    public IEnumerable<XElement> Group(string classes)
    {
        string[] want = classes.Split(' ');
        XElement? g = Doc.Descendants(Ns + "g").FirstOrDefault(e => want.All(c => (e.Attribute("class")?.Value ?? "").Split(' ').Contains(c)));
        return g?.Elements() ?? [];
    }

    public IEnumerable<string> Texts(string cls) =>
        Doc.Descendants(Ns + "text").Where(t => t.Attribute("class")?.Value == cls).Select(t => t.Value);

    private static (double A, double B) Fit(IEnumerable<XElement> group, string coord)
    {
        var ticks = group.Where(e => e.Name == Ns + "line" && e.Attribute("data-value") is not null)
            .Select(e => (V: D(e, "data-value"), P: D(e, coord))).ToList();
        if (ticks.Count < 2) return (double.NaN, double.NaN);
        (double v0, double p0) = ticks[0];
        (double v1, double p1) = ticks[^1];
        double b = (p1 - p0) / (v1 - v0);
        return (p0 - b * v0, b);
    }
}

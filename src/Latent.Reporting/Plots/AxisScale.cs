// Maps data values to pixels along one axis: linear, or logarithmic (equal ratios get equal distances).
namespace Latent.Reporting.Plots;

/// <summary>Maps data values to pixels along one axis: linear, or logarithmic (equal ratios get equal distances).</summary>
public sealed class AxisScale
{
    private readonly double _d0, _d1, _r0, _r1;

    /// <summary>Data [d0, d1] to pixels [r0, r1]; for a log scale both data bounds must be positive.</summary>
    public AxisScale(double d0, double d1, double r0, double r1, bool log = false)
    {
        if (log && (d0 <= 0 || d1 <= 0)) throw new ArgumentException($"A log scale needs positive bounds, got [{d0}, {d1}].");
        IsLog = log;
        _d0 = log ? Math.Log(d0) : d0;
        _d1 = log ? Math.Log(d1) : d1;
        if (_d1 == _d0) _d1 = _d0 + 1;
        _r0 = r0;
        _r1 = r1;
    }

    public bool IsLog { get; }

    /// <summary>The pixel position of <paramref name="v"/>; values outside the domain extrapolate.</summary>
    public double Map(double v) => _r0 + ((IsLog ? Math.Log(v) : v) - _d0) / (_d1 - _d0) * (_r1 - _r0);
}

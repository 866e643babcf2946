// Diagonal Gaussian ("naive Bayes") class model: every pixel an independent Gaussian with the
// class's mean and (maximum-likelihood) variance, floored so that pixels which never vary in the
// training class (always black) keep a finite density:
//   nll = 0.5 * sum_j ( (x_j - mu_j)^2 / v_j + log(2 pi v_j) ),  v_j = max(var_j, floor)   [nats]
// The floor is an option (default 0.01, i.e. a standard deviation of 0.1 in pixel units 0..1).
namespace Latent.Models.Classical;

/// <summary>Diagonal Gaussian ("naive Bayes") class model.</summary>
public sealed class DiagonalGaussian : IClassModel
{
    public const double DefaultVarianceFloor = 0.01;
    public static readonly ScoreInfo Nll = new("nll", "0.5 * sum_j ((x_j - mu_j)^2 / v_j + log(2 pi v_j)), v_j = max(var_j, floor)", "nats");

    private readonly double[] _mean;
    private readonly double[] _var;
    private readonly double _logNorm;

    public DiagonalGaussian(Samples train, double varianceFloor = DefaultVarianceFloor)
    {
        if (train.Count < 1) throw new ArgumentException("the diagonal Gaussian needs at least one training sample.");
        if (!(varianceFloor > 0) || !double.IsFinite(varianceFloor))
            throw new ArgumentOutOfRangeException(nameof(varianceFloor), $"variance floor must be a positive number, got {varianceFloor}.");
        train.EnsureFinite("Gaussian training data");
        int d = train.Dim, n = train.Count;
        _mean = new double[d];
        _var = new double[d];
        for (int p = 0; p < n; p++)
        {
            ReadOnlySpan<float> row = train.Row(p);
            for (int j = 0; j < d; j++) _mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) _mean[j] /= n;
        for (int p = 0; p < n; p++)
        {
            ReadOnlySpan<float> row = train.Row(p);
            for (int j = 0; j < d; j++)
            {
                double e = row[j] - _mean[j];
                _var[j] += e * e;
            }
        }
        for (int j = 0; j < d; j++)
        {
            _var[j] = Math.Max(_var[j] / n, varianceFloor);
            _logNorm += Math.Log(2 * Math.PI * _var[j]);
        }
        VarianceFloor = varianceFloor;
        Shape = train.Shape;
    }

    /// <summary>A model read back from a checkpoint (GaussianEntry): the fitted means and floored variances.</summary>
    internal DiagonalGaussian(double[] mean, double[] variance, double varianceFloor, ImageShape shape)
    {
        if (mean.Length == 0 || shape.Dim != mean.Length || variance.Length != mean.Length || variance.Any(v => !(v > 0) || !double.IsFinite(v)) || mean.Any(v => !double.IsFinite(v)))
            throw new InvalidDataException($"the Gaussian state does not fit together ({mean.Length} means, {variance.Length} positive finite variances expected).");
        _mean = mean;
        _var = variance;
        foreach (double v in _var) _logNorm += Math.Log(2 * Math.PI * v);
        VarianceFloor = varianceFloor;
        Shape = shape;
    }

    /// <summary>The geometry of the training samples.</summary>
    public ImageShape Shape { get; }

    /// <summary>(D) the class mean and the floored per-pixel variances.</summary>
    public double[] Mean => _mean;
    public double[] Variance => _var;

    public double VarianceFloor { get; }
    public string Name => "gaussian";
    public int? Latent => null;
    public IReadOnlyList<ScoreInfo> Scores { get; } = [Nll];

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        if (x.Dim != _mean.Length) throw new ArgumentException($"Gaussian model was fitted on {_mean.Length}-dimensional samples, got {x.Dim}.");
        x.EnsureFinite("Gaussian input");
        var s = new double[x.Count];
        for (int p = 0; p < x.Count; p++)
        {
            ReadOnlySpan<float> row = x.Row(p);
            double q = _logNorm;
            for (int j = 0; j < row.Length; j++)
            {
                double e = row[j] - _mean[j];
                q += e * e / _var[j];
            }
            s[p] = 0.5 * q;
        }
        return new Dictionary<string, double[]> { [Nll.Name] = s };
    }
}

// Checks the split-conformal guarantees by simulation (Bates et al. 2023): scores of normal images are drawn from
// Exp(1), whose false-alarm rate at a threshold t is known exactly, P(S > t) = exp(-t); many calibration draws
// of n scores each give the distribution of the false-alarm rate at the conformal thresholds.
//   marginal:    mean FAR over draws <= alpha (within 4 standard errors), and not far below it (the threshold is
//                the right order statistic, not a more conservative one: mean FAR = (n + 1 - k) / (n + 1));
//   conditional: FAR <= alpha in at least 1 - delta of the draws (within 4 binomial standard errors), while the
//                marginal threshold fails that often (so the test can tell the two apart);
//   BH:          the mean false discovery proportion over batches of nulls (Exp(1)) and alternatives (Exp(1) + 6)
//                is at most q (within 4 standard errors), and BH finds most alternatives.
using Latent.Models.Conformal;

namespace Latent.Tests.Models.Conformal;

public class ConformalGuaranteeTests
{
    private const int Draws = 4000;

    private static double[] Exponential(Random rng, int n, double shift = 0)
    {
        var s = new double[n];
        for (int i = 0; i < n; i++) s[i] = shift - Math.Log(1 - rng.NextDouble());
        return s;
    }

    [Theory]
    [InlineData(99, 0.01)]
    [InlineData(199, 0.05)]
    [InlineData(500, 0.10)]
    public void MarginalFalseAlarmRateIsAtMostAlphaOnAverage(int n, double alpha)
    {
        var rng = new Random(1);
        var far = new double[Draws];
        for (int d = 0; d < Draws; d++) far[d] = Math.Exp(-new ConformalScores(Exponential(rng, n)).Threshold(alpha));
        double mean = far.Average();
        double se = Math.Sqrt(far.Select(f => (f - mean) * (f - mean)).Sum() / (Draws - 1) / Draws);
        int k = ConformalScores.MarginalRank(n, alpha);
        double exact = (double)(n + 1 - k) / (n + 1);
        Assert.True(exact <= alpha + 1e-12, $"exact mean FAR {exact} > alpha {alpha}");
        Assert.True(mean <= alpha + 4 * se, $"mean FAR {mean:F5} > alpha {alpha} + 4 se ({se:F5})");
        Assert.InRange(mean, exact - 4 * se, exact + 4 * se);
        Assert.True(mean > alpha - 1.0 / (n + 1) - 4 * se, $"mean FAR {mean:F5} is more conservative than the conformal rank allows");
    }

    [Theory]
    [InlineData(199, 0.05, 0.1)]
    [InlineData(1000, 0.01, 0.1)]
    [InlineData(500, 0.10, 0.05)]
    public void ConditionalFalseAlarmRateIsAtMostAlphaInMostDraws(int n, double alpha, double delta)
    {
        var rng = new Random(2);
        int okConditional = 0, okMarginal = 0;
        for (int d = 0; d < Draws; d++)
        {
            var cal = new ConformalScores(Exponential(rng, n));
            if (Math.Exp(-cal.ConditionalThreshold(alpha, delta)) <= alpha) okConditional++;
            if (Math.Exp(-cal.Threshold(alpha)) <= alpha) okMarginal++;
        }
        double tol = 4 * Math.Sqrt(delta * (1 - delta) / Draws);
        double share = (double)okConditional / Draws;
        Assert.True(share >= 1 - delta - tol, $"FAR <= alpha in {share:P2} of draws, want >= {1 - delta:P0} - {tol:P2}");
        Assert.True((double)okMarginal / Draws < 1 - delta - tol, $"the marginal threshold also met the conditional guarantee ({(double)okMarginal / Draws:P2}); the test cannot tell them apart");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.2)]
    public void BenjaminiHochbergControlsTheFalseDiscoveryRate(double q)
    {
        const int n = 2000, nulls = 160, alternatives = 40, batches = 2000;
        var rng = new Random(3);
        double sumFdp = 0, sumFdp2 = 0, power = 0;
        for (int b = 0; b < batches; b++)
        {
            var cal = new ConformalScores(Exponential(rng, n));
            var test = Exponential(rng, nulls).Concat(Exponential(rng, alternatives, shift: 6)).ToArray();
            var reject = BenjaminiHochberg.Reject(test.Select(cal.PValue).ToArray(), q);
            int falseDiscoveries = reject.Take(nulls).Count(r => r), discoveries = reject.Count(r => r);
            double fdp = discoveries == 0 ? 0 : (double)falseDiscoveries / discoveries;
            sumFdp += fdp;
            sumFdp2 += fdp * fdp;
            power += (double)reject.Skip(nulls).Count(r => r) / alternatives;
        }
        double mean = sumFdp / batches, se = Math.Sqrt((sumFdp2 / batches - mean * mean) / batches);
        Assert.True(mean <= q + 4 * se, $"mean FDP {mean:F4} > q {q} + 4 se ({se:F4})");
        Assert.True(mean > 0.5 * q * nulls / (nulls + alternatives), $"mean FDP {mean:F4} is far below q m0/m: BH rejects too little");
        Assert.True(power / batches > 0.5, $"BH found only {power / batches:P1} of the alternatives");
    }

    [Fact]
    public void BenjaminiHochbergStepsUpOnAHandExample()
    {
        // m = 5, q = 0.2: cuts r q / m = 0.04, 0.08, 0.12, 0.16, 0.2; sorted p = 0.01, 0.1, 0.11, 0.5, 0.9
        // p_(3) = 0.11 <= 0.12 so the three smallest are rejected, although p_(2) = 0.1 > 0.08 (step-up).
        Assert.Equal([true, false, true, true, false], BenjaminiHochberg.Reject([0.01, 0.5, 0.1, 0.11, 0.9], 0.2));
        Assert.Equal([false, false], BenjaminiHochberg.Reject([0.5, 0.9], 0.2));
    }
}

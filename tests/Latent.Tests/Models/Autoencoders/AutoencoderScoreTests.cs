// Scores: save, load and score give identical scores; a sample's score does not depend on its batch; the exact
// Jacobian against central differences; the log-volume against a matrix with known singular values; bad inputs.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Replicas;
using Latent.Nn.Checkpoints;
using Latent.Tensors;
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Models.Training;
using Latent.Models.Scores;

namespace Latent.Tests.Models.Autoencoders;

public class AutoencoderScoreTests
{
    [Theory]
    [InlineData(AutoencoderKind.Vae, false)]
    [InlineData(AutoencoderKind.Aae, true)]
    [InlineData(AutoencoderKind.Wae, false)]
    [InlineData(AutoencoderKind.Dae, false)]
    [InlineData(AutoencoderKind.Vae, false, true)]
    public void SaveLoadAndScoreGiveIdenticalScores(AutoencoderKind kind, bool conv, bool gaussian = false)
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var o = conv ? AutoencoderTestData.TinyConv(kind, batchNorm: true) : AutoencoderTestData.Dense(kind);
        if (gaussian) o = o with { Likelihood = DecoderLikelihood.Gaussian };
        var model = AutoencoderModel.Create(o);
        new Trainer(model) { CheckpointPath = path }.Train(AutoencoderTestData.Threes(), 0, 2);
        var fives = AutoencoderTestData.Fives();
        var before = new GenerativeScores(model).Score(fives);
        var (loaded, epoch) = AutoencoderModel.Load(path);
        Assert.Equal(2, epoch);
        Assert.Equal(kind, loaded.Kind);
        var after = new GenerativeScores(loaded).Score(fives);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, values) in before)
        {
            Assert.Equal(values, after[name]);
            Assert.All(values, v => Assert.True(double.IsFinite(v), $"{name} is not finite"));
        }
    }

    [Fact]
    public void ScoresDoNotDependOnTheBatch()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae));
        new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 1);
        var fives = AutoencoderTestData.Fives();
        var all = new GenerativeScores(model).Score(fives);
        var third = new Samples(fives.Row(3).ToArray(), 1, fives.Dim);
        var alone = new GenerativeScores(model).Score(third);
        foreach (var (name, v) in alone) Assert.Equal(all[name][3], v[0], 9);
        Assert.Contains("elbo", all.Keys);
        Assert.Contains("iwae-4", all.Keys);
    }

    [Fact]
    public void ThreesScoreLowerThanFivesAfterTraining()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Ae, latent: 4));
        new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 15);
        var s = new GenerativeScores(model, ["recon"]);
        double threes = s.Score(AutoencoderTestData.Threes())["recon"].Average(), fives = s.Score(AutoencoderTestData.Fives())["recon"].Average();
        Assert.True(threes < fives, $"training 3s {threes} vs test 5s {fives}");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ForwardJacobianMatchesCentralDifferences(bool conv, bool sigmoid)
    {
        var o = conv ? AutoencoderTestData.TinyConv(AutoencoderKind.Ae, latent: 3, batchNorm: sigmoid) : AutoencoderTestData.Dense(AutoencoderKind.Ae, latent: 3);
        var model = AutoencoderModel.Create(o);
        new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 1);   // batch-norm running statistics away from (0, 1)
        model.Eval();
        var net = model.Decoder.Net;
        var rng = new Rng(5);
        int n = 2, z = 3;
        var code = new Tensor(n, z);
        rng.Normal(code.Data);
        var (jt, output) = ForwardJacobian.Compute(net, code, sigmoid);
        int d = output.RowLength;
        Assert.Equal(n * z, jt.Rows);
        Assert.Equal(d, jt.RowLength);
        using var _ = GradMode.Disable();
        const float h = 1e-4f;
        double maxErr = 0, maxAbs = 0;
        int kinks = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < z; j++)
            {
                var plus = code.Clone();
                var minus = code.Clone();
                plus.Data[i * z + j] += h;
                minus.Data[i * z + j] -= h;
                (Tensor gp, string signsP) = LayerByLayer(net, plus);
                (Tensor gm, string signsM) = LayerByLayer(net, minus);
                // A ReLU input that changes sign between the two probes puts a kink inside the difference: no derivative to compare.
                if (signsP != signsM) { kinks++; continue; }
                if (sigmoid) { gp = gp.Sigmoid(); gm = gm.Sigmoid(); }
                for (int p = 0; p < d; p++)
                {
                    double fd = (gp.Data[i * d + p] - gm.Data[i * d + p]) / (2.0 * h);
                    double exact = jt.Data[(i * z + j) * d + p];
                    maxErr = Math.Max(maxErr, Math.Abs(fd - exact));
                    maxAbs = Math.Max(maxAbs, Math.Abs(exact));
                }
            }
        Assert.True(kinks <= n * z / 2, $"{kinks} of {n * z} probes crossed a ReLU kink: too few left to check");
        Assert.True(maxAbs > 1e-3, "the Jacobian should not vanish");
        Assert.True(maxErr < 2e-2 * maxAbs + 1e-4, $"max |FD - exact| = {maxErr}, max |J| = {maxAbs}");
    }

    /// <summary>The network's output, run a layer at a time, and the signs of every ReLU / LeakyReLU input.</summary>
    private static (Tensor Output, string Signs) LayerByLayer(Sequential net, Tensor x)
    {
        var signs = new System.Text.StringBuilder();
        foreach (Module layer in net.Layers)
        {
            if (layer is Relu or LeakyRelu) foreach (float v in x.Data) signs.Append(v > 0 ? '+' : '-');
            x = layer.Forward(x);
        }
        return (x, signs.ToString());
    }

    [Fact]
    public void LogVolumeIsTheSumOfLogSingularValues()
    {
        // J (4, 2) with orthogonal columns of norms 2 and 3: singular values 2 and 3, J^T J = diag(4, 9)
        double[] gram = [4, 0, 0, 9];
        Assert.Equal(Math.Log(6), GenerativeScores.HalfLogDet(gram, 2), 10);
        // a rotated Gram matrix: same singular values
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        double[] rot = [4 * c * c + 9 * s * s, (9 - 4) * c * s, (9 - 4) * c * s, 4 * s * s + 9 * c * c];
        Assert.Equal(Math.Log(6), GenerativeScores.HalfLogDet(rot, 2), 10);
    }

    [Fact]
    public void LogVolumeOfAnOverflowedJacobianIsNaNNotAnError()
    {
        Assert.True(double.IsNaN(GenerativeScores.HalfLogDet([4, double.NaN, double.NaN, 9], 2)));
        Assert.True(double.IsNaN(GenerativeScores.HalfLogDet([double.PositiveInfinity, 0, 0, 9], 2)));
    }

    [Fact]
    public void AModelWhoseDecoderOverflowsScoresNaNWithoutThrowing()
    {
        // a checkpoint can hold finite weights so large that the decoder's Jacobian overflows to Inf - Inf = NaN
        // (seen by the checkpoint fuzzer on one CPU): the density scores become NaN, scoring does not throw
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Aae));
        foreach (var p in model.DecoderNetwork.Parameters()) p.Data.Fill(3e37f);
        var s = new GenerativeScores(model).Score(AutoencoderTestData.Fives());
        Assert.Contains(s["jacobian"], double.IsNaN);
        Assert.Equal(s["jacobian"].Length, s["density-x"].Length);
    }

    [Fact]
    public void DensityXIsLatentNllPlusJacobian()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Aae));
        new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 1);
        var s = new GenerativeScores(model).Score(AutoencoderTestData.Fives());
        for (int i = 0; i < s["recon"].Length; i++) Assert.Equal(s["latent-nll"][i] + s["jacobian"][i], s["density-x"][i], 9);
    }

    [Fact]
    public void BadInputsGiveClearErrors()
    {
        using var dir = new TempDir();
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae));
        var scores = new GenerativeScores(model);
        var wrong = new Samples(new float[2 * 100], 2, 100);
        Assert.Contains("28x28 images (784 values)", Assert.Throws<ArgumentException>(() => scores.Score(wrong)).Message, StringComparison.Ordinal);
        var x = AutoencoderTestData.Fives();
        var px = (float[])x.X.Clone();
        px[3 * x.Dim + 7] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => scores.Score(new Samples(px, x.Count, x.Dim)));
        Assert.Contains("sample 3 has a NaN", e.Message, StringComparison.Ordinal);
        Assert.Contains("no score 'nope'", Assert.Throws<ArgumentException>(() => new GenerativeScores(model, ["nope"])).Message, StringComparison.Ordinal);

        // a checkpoint of another model type
        string other = dir.File("other.safetensors");
        Checkpoint.Save(other, new ConvVae(new Rng(0), 2), new Dictionary<string, string> { [Checkpoint.ModelTypeKey] = "DenseVAE" });
        var le = Assert.Throws<InvalidDataException>(() => AutoencoderModel.Load(other));
        Assert.Contains("'DenseVAE' model, which this build of Latent does not know", le.Message, StringComparison.Ordinal);
    }
}

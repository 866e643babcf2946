// Forward values and gradients against PyTorch 1.13 (fixtures from scripts/make_nn_fixtures.py).
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;
using static Latent.Tests.Nn.TorchFixture;

namespace Latent.Tests.Nn;

public class TorchFixtureTests
{
    private const float Tol = 1e-5f;

    private static Tensor Leaf(string name)
    {
        Tensor t = Get(name).Clone();
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void LinearForwardAndGradients()
    {
        Tensor x = Leaf("linear.x"), w = Leaf("linear.W"), b = Leaf("linear.b");
        Tensor y = Tensor.Linear(x, w, b);
        AssertClose(Get("linear.y"), y.Data, Tol, "y");
        Tensor.Multiply(y, Get("linear.w")).Sum().Backward();
        AssertClose(Get("linear.dx"), x.Grad!.Data, Tol, "dx");
        AssertClose(Get("linear.dW"), w.Grad!.Data, Tol, "dW");
        AssertClose(Get("linear.db"), b.Grad!.Data, Tol, "db");
    }

    public static TheoryData<string> LossCases => new() { "mse_mean", "mse_sum", "bce_mean", "bce_batchmean", "kl_batchmean", "gnll_mean", "ce_mean" };

    [Theory]
    [MemberData(nameof(LossCases))]
    public void LossValueAndGradients(string name)
    {
        (Tensor loss, Tensor[] inputs, string[] keys) = name switch
        {
            "mse_mean" or "mse_sum" => Two(name, "p", "t", (p, t) => Loss.Mse(p, t, name == "mse_sum" ? Reduction.Sum : Reduction.Mean)),
            "bce_mean" => Two(name, "x", "t", (x, t) => Loss.BceWithLogits(x, t)),
            "bce_batchmean" => Two(name, "x", "t", (x, t) => Loss.BceWithLogits(x, t, Reduction.BatchMean)),
            "kl_batchmean" => Two(name, "mu", "lv", (mu, lv) => Loss.GaussianKl(mu, lv)),
            "gnll_mean" => Three(name),
            _ => CrossEntropy(name),
        };
        AssertClose(Get(name + ".loss"), [loss.Item()], Tol, name + " loss");
        loss.Backward();
        for (int i = 0; i < inputs.Length; i++) AssertClose(Get($"{name}.d{keys[i]}"), inputs[i].Grad!.Data, Tol, $"{name} d{keys[i]}");
    }

    private static (Tensor, Tensor[], string[]) Two(string name, string a, string b, Func<Tensor, Tensor, Tensor> f)
    {
        Tensor x = Leaf($"{name}.{a}"), y = Leaf($"{name}.{b}");
        return (f(x, y), [x, y], [a, b]);
    }

    private static (Tensor, Tensor[], string[]) Three(string name)
    {
        Tensor x = Leaf($"{name}.x"), mu = Leaf($"{name}.mu"), lv = Leaf($"{name}.lv");
        return (Loss.GaussianNll(x, mu, lv), [x, mu, lv], ["x", "mu", "lv"]);
    }

    private static (Tensor, Tensor[], string[]) CrossEntropy(string name)
    {
        Tensor x = Leaf($"{name}.x");
        int[] labels = Get($"{name}.labels").ToArray().Select(v => (int)v).ToArray();
        return (Loss.CrossEntropy(x, labels), [x], ["x"]);
    }

    public static TheoryData<string> OptimizerCases => new() { "adam_default", "adam_custom", "sgd_momentum" };

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void OptimizerStepsMatchTorch(string name)
    {
        Tensor p = Leaf("opt.p0"), grads = Get("opt.grads"), expected = Get($"{name}.params");
        Optimizer opt = name switch
        {
            "adam_default" => new Adam([p]),
            "adam_custom" => new Adam([p], learningRate: 2e-4f, beta1: 0.5f, weightDecay: 0.01f),
            _ => new Sgd([p], learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.001f),
        };
        int n = p.Length;
        for (int s = 0; s < 5; s++)
        {
            opt.ZeroGrad();
            p.EnsureGrad();
            grads.Data.Slice(s * n, n).CopyTo(p.Grad!.Data);
            opt.Step();
            AssertClose(expected.SliceRows(s, 1), p.Data, 1e-6f, $"{name} step {s + 1}");
        }
    }

    [Fact]
    public void ThreeTrainingStepsOfASmallAutoencoderMatchTorch()
    {
        // MLP 12-8(ReLU)-3-8(ReLU)-12, loss = mean over batch of sum BCE with logits, Adam lr 1e-2 (see the script).
        var rng = new Rng(0);
        var layers = new[] { new Linear(12, 8, rng), new Linear(8, 3, rng), new Linear(3, 8, rng), new Linear(8, 12, rng) };
        for (int i = 0; i < 4; i++)
        {
            Get($"mlp.{i}.weight0").Data.CopyTo(layers[i].Weight.Data);
            Get($"mlp.{i}.bias0").Data.CopyTo(layers[i].Bias!.Data);
        }
        var model = new Sequential(layers[0], new Relu(), layers[1], layers[2], new Relu(), layers[3]);
        var opt = new Adam(model.Parameters(), learningRate: 1e-2f);
        Tensor x = Get("mlp.x");
        var pool = new BufferPool();
        var losses = new float[3];
        for (int step = 0; step < 3; step++)
            using (pool.Step())
            {
                Tensor loss = Loss.BceWithLogits(model.Forward(x), x, Reduction.BatchMean);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
                losses[step] = loss.Item();
            }
        AssertClose(Get("mlp.losses"), losses, Tol, "losses");
        for (int i = 0; i < 4; i++)
        {
            AssertClose(Get($"mlp.{i}.weight3"), layers[i].Weight.Data, 1e-5f, $"layer {i} weight");
            AssertClose(Get($"mlp.{i}.bias3"), layers[i].Bias!.Data, 1e-5f, $"layer {i} bias");
        }
    }
}

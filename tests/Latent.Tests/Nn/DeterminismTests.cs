// Same seed, same thread count: bit-identical training (init, shuffles, dropout masks, noise, pooled buffers).
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Nn.Optim;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class DeterminismTests
{
    private static (float[] Losses, float[] Weights) Train(ulong seed)
    {
        var rng = new Rng(seed);
        var model = new Sequential(new Linear(12, 16, rng), new Relu(), new Dropout(0.2f, rng), new Linear(16, 12, rng));
        var opt = new Adam(model.Parameters());
        var data = new Tensor(40, 12);
        rng.Uniform(data.Data, 0f, 1f);
        var pool = new BufferPool();
        var losses = new List<float>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] perm = rng.Permutation(40);
            for (int start = 0; start < 40; start += 16)
                using (pool.Step())
                {
                    int b = Math.Min(16, 40 - start);
                    Tensor x = Tensor.Uninitialized(b, 12);
                    for (int i = 0; i < b; i++) data.Data.Slice(perm[start + i] * 12, 12).CopyTo(x.Data.Slice(i * 12));
                    Tensor noisy = x + rng.NormalTensor(b, 12) * 0.1f;
                    Tensor loss = Loss.BceWithLogits(model.Forward(noisy), x, Reduction.BatchMean);
                    opt.ZeroGrad();
                    loss.Backward();
                    opt.Step();
                    losses.Add(loss.Item());
                }
        }
        return (losses.ToArray(), model.Parameters().SelectMany(p => p.ToArray()).ToArray());
    }

    [Fact]
    public void SameSeedGivesBitIdenticalRuns()
    {
        (float[] l1, float[] w1) = Train(17);
        (float[] l2, float[] w2) = Train(17);
        Assert.Equal(l1, l2);
        Assert.Equal(w1, w2);
        (float[] l3, _) = Train(18);
        Assert.NotEqual(l1, l3);
        Assert.True(l1[^1] < l1[0], "the loss should fall over 9 steps");
    }
}

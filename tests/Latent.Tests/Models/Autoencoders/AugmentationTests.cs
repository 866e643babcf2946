// Random affine augmentation: the bilinear warp against index arithmetic (identity, integer shifts, a quarter turn,
// half-pixel shifts), the random batches (reproducible, one map per image, mass and range kept), the option's parsing
// and storage, and training with it (the loss still falls; a resumed run stays bit-identical).
using Latent.Models.Autoencoders;
using Latent.Tensors;
using Latent.Models;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class AugmentationTests
{
    private const int H = 7, W = 7;

    private static float[] Ramp()
    {
        var a = new float[H * W];
        for (int i = 0; i < a.Length; i++) a[i] = 1 + i;
        return a;
    }

    [Fact]
    public void TheIdentityMapCopiesTheImage()
    {
        float[] src = Ramp(), dst = new float[H * W];
        Augmentation.WarpBilinear(src, dst, H, W, 1, 0, 0, 1, 0, 0);
        Assert.Equal(src, dst);
    }

    [Theory]
    [InlineData(1, -2)]
    [InlineData(-3, 0)]
    [InlineData(0, 4)]
    public void AnIntegerShiftMovesPixelsAndFillsZeros(int ty, int tx)
    {
        float[] src = Ramp(), dst = new float[H * W];
        Augmentation.WarpBilinear(src, dst, H, W, 1, 0, 0, 1, ty, tx);
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++)
            {
                int sr = r - ty, sc = c - tx;
                float expected = sr is >= 0 and < H && sc is >= 0 and < W ? src[sr * W + sc] : 0f;
                Assert.Equal(expected, dst[r * W + c]);
            }
    }

    [Fact]
    public void AQuarterTurnIsAnIndexRotation()
    {
        float[] src = Ramp(), dst = new float[H * W];
        // A = R(-90 deg) = [[0, 1], [-1, 0]]: dst[r, c] = src[c, W - 1 - r].
        Augmentation.WarpBilinear(src, dst, H, W, 0, 1, -1, 0, 0, 0);
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++)
                Assert.Equal(src[c * W + (W - 1 - r)], dst[r * W + c]);
    }

    [Fact]
    public void AHalfPixelShiftAveragesNeighbours()
    {
        float[] src = Ramp(), dst = new float[H * W];
        Augmentation.WarpBilinear(src, dst, H, W, 1, 0, 0, 1, 0, 0.5f);
        for (int r = 0; r < H; r++)
        {
            Assert.Equal(0.5f * src[r * W], dst[r * W], 5);                               // half of it from outside (zero)
            for (int c = 1; c < W; c++) Assert.Equal(0.5f * (src[r * W + c - 1] + src[r * W + c]), dst[r * W + c], 4);
        }
    }

    [Fact]
    public void RandomBatchesAreReproducibleAndDrawOneMapPerImage()
    {
        var x = Threes(8);
        var a = Augmentation.Affine.Apply(x, new Rng(5));
        var b = Augmentation.Affine.Apply(x, new Rng(5));
        var c = Augmentation.Affine.Apply(x, new Rng(6));
        Assert.Equal(new[] { 8, 1, 28, 28 }, a.Shape.ToArray());
        Assert.Equal(a.Data.ToArray(), b.Data.ToArray());
        Assert.NotEqual(a.Data.ToArray(), c.Data.ToArray());
        // Two copies of the same image get different maps.
        var twice = new Tensor(2, 1, 28, 28);
        x.Data[..784].CopyTo(twice.Data);
        x.Data[..784].CopyTo(twice.Data[784..]);
        var t = Augmentation.Affine.Apply(twice, new Rng(1));
        Assert.NotEqual(t.Data[..784].ToArray(), t.Data[784..].ToArray());
    }

    [Fact]
    public void ShiftsAndRotationsKeepTheInkAndTheRange()
    {
        var x = Threes(10);
        var y = (Augmentation.Affine with { Scale = 0f }).Apply(x, new Rng(3));
        for (int i = 0; i < 10; i++)
        {
            float before = 0, after = 0;
            for (int p = 0; p < 784; p++)
            {
                before += x.Data[i * 784 + p];
                after += y.Data[i * 784 + p];
                Assert.InRange(y.Data[i * 784 + p], 0f, 1f);
            }
            Assert.True(Math.Abs(after - before) < 0.06f * before, $"image {i}: ink {before} became {after}");
        }
        Assert.NotEqual(x.Data.ToArray(), y.Data.ToArray());
    }

    [Theory]
    [InlineData("none", 0f, 0f, 0f)]
    [InlineData("Affine", 2f, 10f, 0.1f)]
    [InlineData("shift=1", 1f, 0f, 0f)]
    [InlineData(" rotate = 5 , scale=0.05", 0f, 5f, 0.05f)]
    public void SpecsParse(string spec, float shift, float rotate, float scale) =>
        Assert.Equal(new Augmentation { Shift = shift, Rotate = rotate, Scale = scale }, Augmentation.Parse(spec));

    [Theory]
    [InlineData("shift", "not a field=number pair")]
    [InlineData("shift=abc", "not a field=number pair")]
    [InlineData("shear=1", "unknown augmentation field 'shear'")]
    [InlineData("rotate=400", "rotation 400 must be in [0, 180]")]
    [InlineData("scale=0.7", "scale 0.7 must be in [0, 0.5)")]
    [InlineData("shift=-1", "shift -1 must be in [0, 8]")]
    [InlineData("shift=NaN", "shift NaN must be in [0, 8]")]
    public void BadSpecsNameWhatIsWrong(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Augmentation.Parse(spec));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOptionIsStoredWithTheModelAndOldFilesMeanNone()
    {
        var o = AutoencoderTestData.Dense(AutoencoderKind.Vae).WithTraining(t => t with { Augment = Augmentation.Affine });
        var entry = ModelRegistry.Get("vae");
        Assert.Equal(Augmentation.Affine, ((AutoencoderOptions)entry.ReadOptions(entry.WriteOptions(o), "test")).Training.Augment);
        var node = System.Text.Json.Nodes.JsonNode.Parse(entry.WriteOptions(o))!.AsObject();
        Assert.True(node["Training"]!.AsObject().Remove("Augment"));
        string old = node.ToJsonString();
        Assert.DoesNotContain("Augment", old, StringComparison.Ordinal);
        Assert.True(((AutoencoderOptions)entry.ReadOptions(old, "test")).Training.Augment.IsNone);
    }

    [Fact]
    public void AnAugmentedVaeLearnsAndResumesExactly()
    {
        using var dir = new TempDir();
        var o = AutoencoderTestData.Dense(AutoencoderKind.Vae).WithTraining(t => t with { Augment = Augmentation.Affine });
        var data = AutoencoderTestData.Threes();
        var straight = AutoencoderModel.Create(o);
        var results = new Trainer(straight).Train(data, 0, 10);
        Assert.True(results[^1].Terms[1] < 0.95 * results[0].Terms[1], $"augmented VAE recon went from {results[0].Terms[1]} to {results[^1].Terms[1]}");
        var plain = new Trainer(AutoencoderModel.Create(o.WithTraining(t => t with { Augment = Augmentation.None }))).Train(data, 0, 1);
        Assert.NotEqual(plain[0].Terms[0], results[0].Terms[0]);

        string path = dir.File("m.safetensors");
        new Trainer(AutoencoderModel.Create(o)) { CheckpointPath = path }.Train(data, 0, 4);
        var (resumed, _) = AutoencoderModel.Load(path);
        Assert.Equal(Augmentation.Affine, resumed.Options.Training.Augment);
        new Trainer(resumed).Train(data, 4, 10);
        var a = straight.StateTensors();
        var b = resumed.StateTensors();
        for (int i = 0; i < a.Count; i++) Assert.True(a[i].Tensor.Data.SequenceEqual(b[i].Tensor.Data), $"{a[i].Name} differs after resuming");
    }

    private static Tensor Threes(int n)
    {
        var data = AutoencoderTestData.Threes();
        var x = new Tensor(n, 1, 28, 28);
        data.X.AsSpan(0, n * 784).CopyTo(x.Data);
        return x;
    }
}

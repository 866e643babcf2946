// The usage example of docs/LIBRARY.md, compiled and run by the tests (LibraryExampleTests): the text between the
// "example" markers is the block the page shows, line for line.
using Latent.Data;
using Latent.Models;
using Latent.Models.Classical;

namespace Latent.Tests.Models;

public static class LibraryExample
{
    // example begin
    /// <summary>Models the 3s of an MNIST-layout dataset ("mnist", "fashion-mnist" or a folder of IDX files) with PCA,
    /// and returns how many test 5s it calls novel at false-alarm rate alpha, out of how many.</summary>
    public static (int Novel, int Count) NovelFives(string dataset, double alpha)
    {
        DatasetInfo data = DatasetInfo.Resolve(dataset);
        var cache = new DataCache();                        // ~/.cache/latent; fetched on first use
        Samples Class(Split split, int label)
        {
            ImageSet set = Datasets.Load(data, split, cache).OfClass(label);
            return new Samples(set.Pixels, set.Count, ImageShape.Gray(set.Height, set.Width));
        }

        // fit on the training 3s, holding out a fifth of them to calibrate the threshold
        var model = ClassModel.Fit(new PcaOptions { Latent = 10 }, Class(Split.Train, 3), calibration: 0.2);

        // score the test 5s and decide: novel iff the score is above the conformal threshold at alpha
        Samples fives = Class(Split.Test, 5);
        NoveltyScores scores = model.Score(fives, "ppca");
        bool[] novel = model.Decide(scores, model.Threshold("ppca", alpha));
        return (novel.Count(n => n), novel.Length);
    }
    // example end
}

// `latent explore judge train`: trains a judge of generated digits with the engine on the dataset's training split,
// measures its test accuracy and saves it (JudgeFile): --kind logreg (multinomial logistic regression, L2, the
// classic linear classifier; about 92.5 % on MNIST in seconds) or --kind cnn (a small CNN, >= 99 %, whose hidden
// layer gives the MNIST "FID" features; conv blocks 32/64, dropout, random 2 px shifts, lr 1e-3 decayed by 0.8 per
// epoch). Trained from --seed: a rerun writes the same weights bit for bit. With --held-out F the settings are tried on
// a held-out fraction of the training split (its accuracy printed per epoch) and the test split is not read at all.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models.Exploration.Judges;

namespace Latent.Cli.Explore;

internal static class JudgeCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var kind = new Option<string>("--kind") { Description = "logreg (default) or cnn.", DefaultValueFactory = _ => "logreg" };
        var output = new Option<string>("--out") { Description = "The judge file to write (safetensors).", Required = true };
        var dataset = ExploreArgs.Dataset();
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs (default: logreg 10, cnn 8)." };
        var lr = new Option<float?>("--lr") { Description = "Adam learning rate (default 1e-3)." };
        var l2 = new Option<float?>("--l2") { Description = "L2 weight (default: logreg 1e-4, cnn 0)." };
        var decay = new Option<float?>("--lr-decay") { Description = "Multiply the learning rate by this after every epoch (default: logreg 1, cnn 0.8)." };
        var channels = new Option<string?>("--channels") { Description = "cnn: output channels of the two 3x3 convolution blocks, e.g. 32,64 (the default)." };
        var dropout = new Option<float?>("--dropout") { Description = "cnn: dropout probability on the 128 hidden units in training (default 0.25)." };
        var augment = new Option<string?>("--augment") { Description = "Random affine augmentation of the training images (default: cnn shift=2, logreg none): " + TrainingOptionGroup.AugmentDescription };
        var heldOut = new Option<double?>("--held-out") { Description = "Hold out this fraction of the training images (e.g. 0.1) and print their accuracy after every epoch, to choose settings; the test split is then not read." };
        var seed = ExploreArgs.Seed();
        var train = new Command("train", "Train a judge (logistic regression or a small CNN) on the training split and save it.")
        {
            kind, output, dataset, epochs, lr, l2, decay, channels, dropout, augment, heldOut, seed,
        };
        train.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string k = p.GetValue(kind)!;
            var jk = CliChoice.Parse(k, "--kind", "judge kind", ("logreg", JudgeKind.Logreg), ("cnn", JudgeKind.Cnn))!.Value;
            string outText = p.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outText)) throw new CliException("--out is empty; name the judge file to write, e.g. --out judge.safetensors.");
            string outPath = AtomicFile.EnsureWritableTarget(outText);
            var o = JudgeOptions.For(jk);
            o = o with
            {
                Epochs = p.GetValue(epochs) ?? o.Epochs,
                LearningRate = p.GetValue(lr) ?? o.LearningRate,
                L2 = p.GetValue(l2) ?? o.L2,
                LrDecay = p.GetValue(decay) ?? o.LrDecay,
                Dropout = p.GetValue(dropout) ?? o.Dropout,
                Augment = TrainingOptionGroup.ParseAugment(p.GetValue(augment)) ?? o.Augment,
                HeldOut = p.GetValue(heldOut) ?? 0,
                Seed = p.GetValue(seed),
            };
            if (p.GetValue(channels) is { } ch)
            {
                if (jk != JudgeKind.Cnn) throw new CliException($"--channels {ch}: the logreg judge has no convolutions; --channels is for --kind cnn.");
                var (c1, c2) = ParseChannels(ch);
                o = o with { Conv1Channels = c1, Conv2Channels = c2 };
            }
            var (trainSet, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Train, p, term);
            o = o with { Height = trainSet.Height, Width = trainSet.Width, Classes = d.ClassCount };
            try { o.Validate(); }
            catch (ArgumentException e) { throw new CliException(e.Message); }
            string held = o.HeldOut > 0 ? string.Create(CultureInfo.InvariantCulture, $" (holding out {o.HeldOut:0.###} of them to choose settings on)") : "";
            term.Note($"{d.Name}: training a {k} judge on {trainSet.Count} images{held} for {o.Epochs} epochs -> {outPath}");
            var sw = Stopwatch.StartNew();
            var (judge, heldAcc) = JudgeTrainer.TrainWithHeldOut(o, trainSet.Pixels, ExploreArgs.Labels(trainSet), term.Note);
            double seconds = sw.Elapsed.TotalSeconds;
            double acc = double.NaN;
            int testCount = 0;
            if (o.HeldOut == 0)
            {
                // The test split is read once, after training, for the one accuracy the judge file records.
                var (testSet, _) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
                acc = JudgeTrainer.Accuracy(judge, testSet.Pixels, ExploreArgs.Labels(testSet));
                testCount = testSet.Count;
            }
            JudgeFile.Save(outPath, judge, acc);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore judge train");
                    w.WriteString("kind", k.ToLowerInvariant());
                    w.WriteNumber("epochs", o.Epochs);
                    w.WriteNumber("seed", o.Seed);
                    w.Number("testAccuracy", acc);
                    w.Number("heldOutAccuracy", heldAcc);
                    w.Number("trainSeconds", seconds);
                    w.WriteString("out", outPath);
                    w.WriteEndObject();
                });
            else if (o.HeldOut > 0)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{k} judge: held-out accuracy {100 * heldAcc:0.00} % ({o.HeldOut:0.###} of the training images; the test split was not read), trained in {seconds:0.0} s; saved {outPath}"));
            else stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k} judge: test accuracy {100 * acc:0.00} % ({testCount} images), trained in {seconds:0.0} s; saved {outPath}"));
            return 0;
        });
        return new Command("judge", "Classifiers that judge generated images.") { train, JudgeTestCommand.Build(stdout, stderr, interactive) };
    }

    /// <summary>--channels "C1,C2": two positive counts.</summary>
    private static (int, int) ParseChannels(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length == 2 && int.TryParse(parts[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int c1)
            && int.TryParse(parts[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int c2) && c1 >= 1 && c2 >= 1 && c1 <= 1024 && c2 <= 1024)
            return (c1, c2);
        throw new CliException($"--channels {text}: give the two convolution blocks' channels as C1,C2 (1 to 1024 each), e.g. 32,64.");
    }
}

// `latent explore judge train`: trains a judge of generated digits with the engine on the dataset's training split,
// measures its test accuracy and saves it (JudgeFile): --kind logreg (multinomial logistic regression, L2, the
// classic linear classifier; about 92.5 % on MNIST in seconds) or --kind cnn (a small CNN, about 99 %, whose hidden
// layer gives the MNIST "FID" features; lr 1e-3 decayed by 0.8 per epoch). Trained from --seed: a rerun writes the same weights bit for bit.
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
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs (default: logreg 10, cnn 10)." };
        var lr = new Option<float?>("--lr") { Description = "Adam learning rate (default 1e-3)." };
        var l2 = new Option<float?>("--l2") { Description = "L2 weight (default: logreg 1e-4, cnn 0)." };
        var decay = new Option<float?>("--lr-decay") { Description = "Multiply the learning rate by this after every epoch (default: logreg 1, cnn 0.8)." };
        var seed = ExploreArgs.Seed();
        var train = new Command("train", "Train a judge (logistic regression or a small CNN) on the training split and save it.") { kind, output, dataset, epochs, lr, l2, decay, seed };
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
                Seed = p.GetValue(seed),
            };
            var (trainSet, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Train, p, term);
            var (testSet, _) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            o = o with { Height = trainSet.Height, Width = trainSet.Width, Classes = d.ClassCount };
            try { o.Validate(); }
            catch (ArgumentException e) { throw new CliException(e.Message); }
            term.Note($"{d.Name}: training a {k} judge on {trainSet.Count} images for {o.Epochs} epochs -> {outPath}");
            var sw = Stopwatch.StartNew();
            var judge = JudgeTrainer.Train(o, trainSet.Pixels, ExploreArgs.Labels(trainSet), term.Note);
            double seconds = sw.Elapsed.TotalSeconds;
            double acc = JudgeTrainer.Accuracy(judge, testSet.Pixels, ExploreArgs.Labels(testSet));
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
                    w.Number("trainSeconds", seconds);
                    w.WriteString("out", outPath);
                    w.WriteEndObject();
                });
            else stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k} judge: test accuracy {100 * acc:0.00} % ({testSet.Count} images), trained in {seconds:0.0} s; saved {outPath}"));
            return 0;
        });
        return new Command("judge", "Classifiers that judge generated images.") { train };
    }
}

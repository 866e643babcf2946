// `latent explore judge test`: the test accuracy of a saved judge, measured on the dataset's test split. For a judge
// trained with --held-out (whose settings were chosen without the test split, and which therefore has no test accuracy
// yet), --record writes the accuracy into the judge file, as `judge train` does for a judge trained on every image.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models.Exploration.Judges;

namespace Latent.Cli.Explore;

internal static class JudgeTestCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var judgeOpt = new Option<string>("--judge") { Description = "A judge written by `latent explore judge train`.", Required = true };
        var dataset = ExploreArgs.Dataset();
        var record = new Option<bool>("--record") { Description = "A flag: write the measured test accuracy into the judge file." };
        var test = new Command("test", "Measure a saved judge's accuracy on the test split (and, with --record, store it in the file).") { judgeOpt, dataset, record };
        test.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string path = p.GetValue(judgeOpt)!;
            var (testSet, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            var judge = ExploreArgs.LoadJudge(path, new(1, testSet.Height, testSet.Width))!;
            if (judge.Options.Classes != d.ClassCount)
                throw new CliException($"--judge {path} tells {judge.Options.Classes} classes apart; {d.Name} has {d.ClassCount}.");
            double acc = JudgeTrainer.Accuracy(judge, testSet.Pixels, ExploreArgs.Labels(testSet));
            bool write = p.GetValue(record);
            if (write) JudgeFile.Save(AtomicFile.EnsureWritableTarget(path), judge, acc);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore judge test");
                    w.WriteString("kind", judge.Options.Kind.ToString().ToLowerInvariant());
                    w.Number("testAccuracy", acc);
                    w.WriteNumber("testImages", testSet.Count);
                    w.WriteBoolean("recorded", write);
                    w.WriteEndObject();
                });
            else
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{judge.Options.Kind.ToString().ToLowerInvariant()} judge {path}: test accuracy {100 * acc:0.00} % ({testSet.Count} images){(write ? "; recorded in the file" : "")}"));
            return 0;
        });
        return test;
    }
}

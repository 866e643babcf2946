// `latent export`: a saved model as a file another runtime serves. --format onnx writes one ONNX graph (Latent.Onnx):
// input `images` (N, C, H, W) float32 in [0, 1], outputs `score` (the --score chosen, default the model's first
// exportable score), `z` and `reconstruction` where the model has them. The file is written atomically (a temporary
// name, then renamed) under the output's lock, so a reader never sees half a model. Errors: an unknown --format, a kind
// or score that has no graph, an unwritable --out (each one line; docs/ONNX.md lists what exports).
using System.CommandLine;
using Latent.Cli.Output;
using Latent.IO;
using Latent.Onnx;

namespace Latent.Cli;

public static class ExportCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = new Option<string>("--model-file") { Description = "A model file written by `latent train`.", Required = true };
        var format = new Option<string>("--format") { Description = "The file format: onnx.", Required = true };
        var output = new Option<string>("--out") { Description = "The file to write (e.g. model.onnx).", Required = true };
        var score = new Option<string?>("--score") { Description = "The score the graph's `score` output computes (default: the model's first exportable score)." };
        var cmd = new Command("export", "Write a trained model as an ONNX graph (images -> score, z, reconstruction) for ONNX Runtime and the engines that embed it.")
        {
            file, format, output, score,
        };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string form = p.GetValue(format)!.ToLowerInvariant();
            if (!OnnxExport.Formats.Contains(form))
                throw new CliException($"--format {p.GetValue(format)}: unknown format{DidYouMean.Suggest(form, OnnxExport.Formats)}; use {string.Join(", ", OnnxExport.Formats)}.");
            string outPath = p.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outPath)) throw new CliException("--out is empty; name the file to write (e.g. --out model.onnx).");
            string full = Path.GetFullPath(outPath);
            OutputPreflight.EnsureWritableFile(full, $"--out {outPath}");
            string path = p.GetValue(file)!;
            var loaded = ModelFileArgument.Load(path, null);
            var info = OnnxExport.ChooseScore(loaded, p.GetValue(score));
            var shape = loaded.Options.InputShape ?? throw new CliException($"--model-file {path}: the model does not say the size of the images it takes; refit it with `latent train`.");
            byte[] bytes = OnnxExport.ToBytes(loaded, info.Name);
            AtomicFile.Write(full, stream => stream.Write(bytes));
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "export");
                    w.WriteString("modelFile", Path.GetFullPath(path));
                    w.WriteString("model", loaded.Entry.Name);
                    w.WriteString("format", form);
                    w.WriteString("score", info.Name);
                    w.WriteString("out", full);
                    w.WriteNumber("bytes", bytes.Length);
                    w.WriteEndObject();
                });
            else
                stdout.WriteLine($"wrote {full} ({bytes.Length:N0} bytes): {loaded.Entry.Name}, input images (N, {shape.Channels}, {shape.Height}, {shape.Width}), " +
                    $"score = {info.Name} ({info.Units})");
            return 0;
        });
        return cmd;
    }
}

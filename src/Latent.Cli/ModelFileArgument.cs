// --model-file of `score`, `sample`, `explain` and `explore`: the option, declared here once, and the checks a path
// gets before ModelFile reads it (empty, a folder, missing), each a one-line usage error naming the option, then the
// model of any registry kind.
using System.CommandLine;
using Latent.Models;

namespace Latent.Cli;

internal static class ModelFileArgument
{
    /// <summary>The required --model-file option; <paramref name="note"/> adds to its description (e.g. how to train it).</summary>
    public static Option<string> Option(string? note = null) =>
        new("--model-file") { Description = $"A model file written by `latent train`{(note is null ? "" : $" ({note})")}.", Required = true };

    /// <summary>The model saved at <paramref name="path"/>, scoring only <paramref name="scores"/> (null: all).</summary>
    public static LoadedModel Load(string path, IReadOnlyCollection<string>? scores)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("--model-file is empty; name a model file written by `latent train`.");
        if (Directory.Exists(path)) throw new CliException($"--model-file {path} is a folder; name a model file written by `latent train`.");
        if (!File.Exists(path)) throw new CliException($"--model-file {path} does not exist.");
        if (IsPng(path))
            throw new CliException($"--model-file {path} is a PNG image, not a Latent checkpoint (a .safetensors file written by `latent train`); images to score go to --input (a folder of PNGs).");
        return ModelFile.Load(path, scores);
    }

    /// <summary>True when the file starts with the PNG signature (137 P N G).</summary>
    private static bool IsPng(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            Span<byte> head = stackalloc byte[4];
            return f.Read(head) == 4 && head.SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]);
        }
        catch (IOException) { return false; }        // a FIFO, device or unreadable file: ModelFile.Load says what it is
        catch (UnauthorizedAccessException) { return false; }
    }
}

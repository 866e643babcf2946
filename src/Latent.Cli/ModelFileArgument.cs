// --model-file of `score` and `sample`: the checks a path gets before ModelFile reads it (empty, a folder, missing),
// each a one-line usage error naming the option, then the model of any registry kind.
using Latent.Models;

namespace Latent.Cli;

internal static class ModelFileArgument
{
    /// <summary>The model saved at <paramref name="path"/>, scoring only <paramref name="scores"/> (null: all).</summary>
    public static LoadedModel Load(string path, IReadOnlyCollection<string>? scores)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("--model-file is empty; name a model file written by `latent train`.");
        if (Directory.Exists(path)) throw new CliException($"--model-file {path} is a folder; name a model file written by `latent train`.");
        if (!File.Exists(path)) throw new CliException($"--model-file {path} does not exist.");
        return ModelFile.Load(path, scores);
    }
}

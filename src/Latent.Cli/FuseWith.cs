// `classmodel --fuse-with "KIND [OPTIONS]"` (repeatable): a further kind fitted on the same training images as
// --model, reported and fused with it (ClassModelRequest.Companions). The text is parsed by the same model options as
// --model's (ModelOptionsBinder), e.g. --fuse-with "pca --latent 20 --preprocess deskew,center"; a kind with a latent
// space takes --latent inside the text (default 20).
using System.CommandLine;
using Latent.Models;
using Latent.Models.Evaluation;

namespace Latent.Cli;

internal static class FuseWith
{
    /// <summary>The latent size of a companion with a latent space when its text gives none.</summary>
    public const int DefaultLatent = 20;

    public static IReadOnlyList<ClassModelCompanion> Parse(IReadOnlyList<string>? specs, int defaultEpochs)
    {
        if (specs is null || specs.Count == 0) return [];
        var result = new List<ClassModelCompanion>();
        foreach (string spec in specs)
        {
            var tokens = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tokens.Length == 0 || tokens[0].StartsWith('-'))
                throw new CliException($"--fuse-with '{spec}': start with a model kind, e.g. --fuse-with \"pca --latent 20\"; kinds: {ModelRegistry.Names()}.");
            var binder = new ModelOptionsBinder(defaultEpochs, "latent sizes", defaultModel: null);
            var cmd = new Command("fuse-with");
            binder.AddTo(cmd);
            var parse = cmd.Parse(["--model", .. tokens]);
            if (parse.Errors.Count > 0) throw new CliException($"--fuse-with '{spec}': {parse.Errors[0].Message}");
            var entry = binder.Entry(parse);
            var latents = binder.Latents(parse) ?? (entry.HasLatent ? [DefaultLatent] : []);
            var options = binder.Bind(parse, entry, entry.Defaults(entry.HasLatent ? latents[0] : null, ImageShape.Gray(28, 28)));
            result.Add(new ClassModelCompanion(entry, options, latents));
        }
        return result;
    }
}

// `latent explore`: what a generative model trained on every class (labels unused; `latent train --class all`) lets
// a person see (seeds 002 and 003): pairs (centroid-to-centroid grid of every pair of classes), move (images moved
// along a class vector), map (2-D latent maps), denoise (noise cleaned, PSNR), samples (judge histogram, MNIST FID),
// and judge train (the classifiers that read generated images). Each writes PNG grids, SVG plots and one
// self-contained report.html into its --out folder, and one JSON document with --json.
using System.CommandLine;

namespace Latent.Cli.Explore;

public static class ExploreCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive) =>
        new("explore", "Explore a model's latent space: class pairs, moving images, 2-D maps, denoising, samples, judges.")
        {
            PairsCommand.Build(stdout, stderr, interactive),
            MoveCommand.Build(stdout, stderr, interactive),
            MapCommand.Build(stdout, stderr, interactive),
            DenoiseCommand.Build(stdout, stderr, interactive),
            SamplesCommand.Build(stdout, stderr, interactive),
            JudgeCommand.Build(stdout, stderr, interactive),
        };
}

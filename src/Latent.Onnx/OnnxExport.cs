// Export of a saved model (ModelFile) to one ONNX graph (opset 17, IR version 8): input `images` (N, C, H, W) float32
// in [0, 1], output `score` (N) float32 (the chosen score, higher = more novel, computed as `latent score` computes it:
// float64 where the C# code accumulates in double, cast at the end), and, where the model has them, `z` (N, Z) and
// `reconstruction` (N, C, H, W). The model's metadata (latent.model, latent.score, its formula and units, the epoch)
// goes into the file's metadata_props.
// Exported: every kind. pca, gaussian; knn (euclidean and cosine; the re-ranking metrics are refused); the
// autoencoders ae, dae, vae, aae, wae (every score but jacobian and density-x); gan and infogan (the discriminator
// score); bigan (recon, latent-nll, latent-nll-fit, combined, discriminator, feature); the flows made, maf, realnvp
// and pixelcnn (nll, likelihood-ratio, typicality; not complexity). A model with an image invariance (--preprocess,
// --tta) is refused: the graph would score the raw image. A model of a table (FeatureScaling) takes the raw feature
// columns in its order (metadata latent.features) and standardises them in the graph, as `latent score` does.
// Refusals are ArgumentExceptions saying why.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Autoregressive;
using Latent.Models.Classical;
using Latent.Models.Flows;
using Latent.Models.Gans;
using Latent.Models.SelfSupervised;
using Latent.Onnx.Graphs;
using Onnx;

namespace Latent.Onnx;

public static class OnnxExport
{
    /// <summary>The formats `latent export` writes.</summary>
    public static readonly IReadOnlyList<string> Formats = ["onnx"];

    /// <summary>The kinds whose graphs are written (the registry's names).</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["pca", "gaussian", "knn", "ae", "dae", "vae", "aae", "wae", "gan", "bigan", "infogan", "pixelcnn", "realnvp", "made", "maf"];

    /// <summary>The scores of <paramref name="loaded"/> that its graph can compute, in the model's order; an
    /// ArgumentException saying why when the kind cannot be exported.</summary>
    public static IReadOnlyList<ScoreInfo> ExportableScores(LoadedModel loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Options.Invariance is { IsNone: false } invariance)
            throw new ArgumentException(NotExportable(loaded.Entry.Name, $"it was fitted with the image invariance '{invariance.Describe()}' (--preprocess, --tta): " +
                "deskewing and centring warp each image by its own moments, and test-time augmentation takes the minimum over transformed copies, which this version does not write; refit without them to export"));
        return loaded.Model switch
        {
            PcaGaussian or DiagonalGaussian => loaded.Model.Scores,
            NearestNeighbour knn => KnnGraph.Why(knn.Metric) is { } why
                ? throw new ArgumentException(NotExportable("knn", $"with --metric {KnnOptions.MetricName(knn.Metric)}, {why}; the euclidean and cosine metrics export"))
                : loaded.Model.Scores,
            _ when loaded.Generative is AutoencoderModel => [.. loaded.Model.Scores.Where(s => AutoencoderGraph.CanExport(s.Name))],
            _ when loaded.Generative is BiganModel => [.. loaded.Model.Scores.Where(s => BiganGraph.CanExport(s.Name))],
            _ when DiscriminatorOf(loaded) is not null => [.. loaded.Model.Scores.Where(s => s.Name == "discriminator")],
            _ when loaded.Generative is FlowModel or PixelCnn => [.. loaded.Model.Scores.Where(s => DensityGraph.CanExport(s.Name))],
            _ when loaded.Generative is GeomModel => throw new ArgumentException(NotExportable("geom",
                "its score runs the classifier on every turned, flipped (and shifted) copy of the image; that graph is not written by this version")),
            _ => throw new ArgumentException(NotExportable(loaded.Entry.Name)),
        };
    }

    /// <summary>The ONNX file's bytes for <paramref name="loaded"/>'s score <paramref name="score"/> (null: its first
    /// exportable score).</summary>
    public static byte[] ToBytes(LoadedModel loaded, string? score = null)
    {
        ModelProto model = Build(loaded, score);
        using var stream = new MemoryStream();
        using (var output = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true)) model.WriteTo(output);
        return stream.ToArray();
    }

    /// <summary>The chosen score's description (null: the first exportable score).</summary>
    public static ScoreInfo ChooseScore(LoadedModel loaded, string? score)
    {
        var exportable = ExportableScores(loaded);
        if (score is null) return exportable[0];
        var all = loaded.Model.Scores;
        if (exportable.FirstOrDefault(s => s.Name == score) is { } found) return found;
        if (all.Any(s => s.Name == score))
            throw new ArgumentException($"score '{score}' of the {loaded.Entry.Name} model cannot be written as an ONNX graph ({(DiscriminatorOf(loaded) is null ? Why(score) : GanWhy)}); " +
                $"exportable scores: {string.Join(", ", exportable.Select(s => s.Name))}.");
        throw new ArgumentException($"model '{loaded.Entry.Name}' has no score '{score}'{ModelRegistry.SuggestAmong(score, all.Select(s => s.Name))}; " +
            $"exportable scores: {string.Join(", ", exportable.Select(s => s.Name))}.");
    }

    internal static ModelProto Build(LoadedModel loaded, string? score)
    {
        ScoreInfo info = ChooseScore(loaded, score);
        var shape = loaded.Options.InputShape
            ?? throw new InvalidDataException($"the {loaded.Entry.Name} model does not say the size of the images it takes; refit it with `latent train`.");
        var g = new OnnxGraph();
        string images = g.Input("images", "N", shape.Channels, shape.Height, shape.Width);
        if (loaded.Features is { } features) images = Standardise(g, features, images, shape);
        ExportedValues v = loaded.Model switch
        {
            PcaGaussian pca => ClassicalGraphs.Pca(g, pca, images, info.Name),
            DiagonalGaussian gaussian => ClassicalGraphs.Gaussian(g, gaussian, images, info.Name),
            NearestNeighbour knn => KnnGraph.Build(g, knn, loaded.Entry.CheckpointTensors(knn).Single(t => t.Name == "train").Tensor, images, info.Name),
            _ when loaded.Generative is AutoencoderModel ae => AutoencoderGraph.Build(g, ae, images, info.Name),
            _ when loaded.Generative is BiganModel bigan => BiganGraph.Build(g, bigan, images, info.Name),
            _ when DiscriminatorOf(loaded) is { } d => GanGraph.Discriminator(g, d, images, info.Name),
            _ when loaded.Generative is FlowModel flow => Density(g, info.Name, shape.Dim, flow.MeanTrainingNll,
                background => FlowGraph.Nll(g, background ? flow.BackgroundFlow! : flow.Flow, flow.Options, images)),
            _ when loaded.Generative is PixelCnn pixel => Density(g, info.Name, shape.Dim, pixel.MeanTrainingNll,
                background => PixelCnnGraph.Nll(g, background ? pixel.BackgroundNetwork! : pixel.Network, pixel.Options, images)),
            _ => throw new ArgumentException(NotExportable(loaded.Entry.Name)),
        };
        g.Output("score", g.ToFloat(v.Score), "N");
        if (v.Z is not null) g.Output("z", v.Z, "N", v.Latent);
        if (v.Reconstruction is not null) g.Output("reconstruction", v.Reconstruction, "N", shape.Channels, shape.Height, shape.Width);
        var model = new ModelProto
        {
            IrVersion = OnnxGraph.IrVersion,
            ProducerName = "latent",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = $"{loaded.Entry.Name}: {loaded.Entry.Description}. score = {info.Name}: {info.Formula} ({info.Units}); higher = more novel.",
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraph.Opset });
        Meta(model, "latent.model", loaded.Entry.Name);
        Meta(model, "latent.score", info.Name);
        Meta(model, "latent.score.formula", info.Formula);
        Meta(model, "latent.score.units", info.Units);
        Meta(model, "latent.epoch", loaded.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (loaded.Features is { } columns) Meta(model, "latent.features", string.Join(",", columns.Columns));
        return model;
    }

    /// <summary>A model of a table takes the raw feature columns, in the model's order (FeatureScaling.Columns), and
    /// standardises them as `latent score` does: z_j = float((x_j - mean_j) / sd_j), in float64.</summary>
    private static string Standardise(OnnxGraph g, FeatureScaling features, string x, ImageShape shape)
    {
        int d = features.Columns.Count;
        if (d != shape.Dim) throw new InvalidDataException($"the model's {d} feature columns do not fit its input of {shape.Dim} values.");
        string centred = g.Op("Sub", g.ToDouble(x), g.Double([.. features.Mean], 1, 1, 1, d));
        return g.ToFloat(g.Op("Div", centred, g.Double([.. features.Sd], 1, 1, 1, d)));
    }

    /// <summary>Why a model has no ONNX graph (an error message); <paramref name="why"/> null: the kind has none.</summary>
    public static string NotExportable(string kind, string? why = null) =>
        $"model '{kind}' cannot be exported to ONNX: {why ?? "this version writes no graph for it"}; exportable kinds: {string.Join(", ", Kinds)}.";

    private static ExportedValues Density(OnnxGraph g, string score, int dim, double meanTrainingNll, Func<bool, string> nll) =>
        new(DensityGraph.Score(g, score, dim, nll, meanTrainingNll), null, 0, null);

    /// <summary>The discriminator of a GAN whose score is -log D(x) on the image alone (gan, infogan), else null.</summary>
    private static GanDiscriminator? DiscriminatorOf(LoadedModel loaded) => loaded.Generative switch
    {
        GanModel gan => gan.Discriminator,
        InfoganModel info => info.Discriminator,
        _ => null,
    };

    private const string GanWhy = "this version writes only a GAN's discriminator score: the others need the codes of a latent search, an optimisation per image " +
        "that a feed-forward graph cannot express";

    private static string Why(string score) => score switch
    {
        "jacobian" or "density-x" => "it needs the singular values of the decoder's Jacobian: ONNX has neither derivatives nor an eigendecomposition",
        "complexity" => DensityGraph.ComplexityWhy,
        _ => "this version writes no graph for it",
    };

    private static void Meta(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}

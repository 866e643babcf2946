// An "Examples:" section after every command's --help (as Anomalib's CLI has): System.CommandLine's own help, then
// the examples of the command asked about, each a comment and a command line that parses (a test parses them all).
// A command added later gets its examples by one entry in Examples.
using System.CommandLine;
using System.CommandLine.Invocation;

namespace Latent.Cli;

public static class CommandExamples
{
    /// <summary>Per command name: (what it does, the command line).</summary>
    public static readonly IReadOnlyDictionary<string, (string What, string Line)[]> Examples = new Dictionary<string, (string, string)[]>
    {
        ["latent"] =
        [
            ("Fit a model on a folder of your normal images, holding out a fifth to calibrate p-values",
                "latent train --model pca --latent 8 --dataset normal/ --calibration 0.2 --out normal.safetensors"),
            ("Flag the novel images of another folder (false alarms at most 5 %)",
                "latent score --model-file normal.safetensors --input new/ --alpha 0.05"),
            ("Compare models on known anomalies, with an HTML report",
                "latent classmodel --dataset normal/ --anomalies anomalies/ --model pca --report report/"),
        ],
        ["train"] =
        [
            ("Fit PCA on a folder of your normal images (PNG), holding out 20 % for calibration",
                "latent train --model pca --latent 8 --dataset normal/ --calibration 0.2 --out normal.safetensors"),
            ("Images of several sizes: resize them all to 64 x 64 (area averaging)",
                "latent train --model gaussian --dataset photos/ --image-size 64 --out photos.safetensors"),
            ("A folder of class folders (JPEG, PNG, ...): model class 'ok', centre-cropped to 64 x 64, stopping at any unreadable file",
                "latent train --model pca --latent 16 --dataset folder:parts/ --class ok --image-size 64 --resize-mode crop --strict --out ok.safetensors"),
            ("A table: model the benign rows of a CSV file (features standardised, the scaling stored in the model)",
                "latent train --model gaussian --dataset csv:cells.csv --label-column diagnosis --class benign --calibration 0.2 --out benign.safetensors"),
            ("Train a VAE on MNIST's 3s for 5 epochs",
                "latent train --model vae --dataset mnist --class 3 --preset quick --out vae3.safetensors"),
            ("Continue that training up to 20 epochs",
                "latent train --model vae --out vae3.safetensors --resume --epochs 20"),
        ],
        ["classmodel"] =
        [
            ("Your folders: train on 80 % of the normal images, evaluate on the rest and the anomalies",
                "latent classmodel --dataset normal/ --anomalies anomalies/ --model pca --latent 4,8,16 --report report/"),
            ("A folder of class folders (its train/ and test/ folders, or 20 % of each class held out), gray, 32 x 32",
                "latent classmodel --dataset folder:parts/ --real ok --fake rest --channels 1 --image-size 32 --model pca --latent 8"),
            ("A table: benign rows as the normal class, malignant as novel",
                "latent classmodel --dataset csv:cells.csv --label-column diagnosis --real benign --fake malignant --model knn"),
            ("MNIST: model the 3s, tell them from the 5s, with conformal rates at alpha = 0.05",
                "latent classmodel --model vae --real 3 --fake 5 --preset quick --alpha 0.05"),
            ("One-vs-rest for every class, as JSON",
                "latent classmodel --model pca --real all --fake rest --json"),
            ("Another dataset as the novel images: a density of all Fashion-MNIST against MNIST's test digits",
                "latent classmodel --dataset fashion-mnist --real all-classes --fake mnist:all --model maf --epochs 1 --background-l2 1e-3"),
        ],
        ["score"] =
        [
            ("Score a folder of images: a table with p-values and normal / novel decisions",
                "latent score --model-file normal.safetensors --input new/ --alpha 0.05"),
            ("Every image's path, scores, p-values and decisions as CSV",
                "latent score --model-file normal.safetensors --input new/ --output scores.csv"),
            ("Every image below a folder of class folders, padded to the model's size; unreadable files skipped and named",
                "latent score --model-file ok.safetensors --input folder:new/ --resize --resize-mode pad"),
            ("The rows of a table, with a model fitted on one (columns taken by name)",
                "latent score --model-file benign.safetensors --input csv:new-cells.csv --output scores.csv"),
            ("MNIST's test 5s, one JSON object per line",
                "latent score --model-file vae3.safetensors --input mnist:5 --format jsonl"),
            ("Shard 2 of 8 of a large folder tree, with the latent codes (docs/SCALE-OUT.md)",
                "latent score --model-file vae3.safetensors --input images/ --shard 2/8 --with-z --output shard-2.csv"),
        ],
        ["export"] =
        [
            ("A trained VAE as one ONNX graph (images -> score, z, reconstruction) for ONNX Runtime",
                "latent export --model-file vae3.safetensors --format onnx --out vae3.onnx"),
            ("PCA with its ppca score as the graph's score output",
                "latent export --model-file normal.safetensors --format onnx --score ppca --out normal.onnx"),
        ],
        ["sample"] =
        [
            ("64 images from a trained VAE's prior as a PNG grid", "latent sample --model-file vae3.safetensors --out samples.png"),
        ],
        ["explore"] =
        [
            ("Train the judge (multinomial logistic regression on MNIST) that labels generated digits",
                "latent explore judge train --kind logreg --out logreg.safetensors"),
            ("The 45-pair grid of a model trained on all digits (latent train --class all), judged",
                "latent explore pairs --model-file vae20.safetensors --judge logreg.safetensors --out pairs"),
            ("A 7 moved along the 6 -> 0 vector, alpha from -2 to 2",
                "latent explore move --model-file vae20.safetensors --judge logreg.safetensors --from 6 --to 0 --image-class 7 --alpha=-2:2:9 --out move"),
            ("The 2-D latent maps of an AE and a VAE side by side",
                "latent explore map --model-file ae2.safetensors --model-file vae2.safetensors --out map"),
            ("The latent map of a model trained on a folder of class folders (train --dataset folder:shapes/ --class all)",
                "latent explore map --model-file shapes.safetensors --dataset folder:shapes/ --out map"),
            ("Denoising at four Gaussian noise levels, with PSNR",
                "latent explore denoise --model-file dae20.safetensors --levels 0.1,0.3,0.5,0.7 --out denoise"),
        ],
        ["explain"] =
        [
            ("Why are the first two test 5s novel to a VAE of 3s? Terms, p-value, residual map, nearest training 3s",
                "latent explain --model-file vae3.safetensors --input mnist:5 --index 0,1 --reference mnist:3 --out why/"),
            ("One image of your own, as JSON", "latent explain --model-file normal.safetensors --input part.png --json"),
        ],
        ["data"] =
        [
            ("Download MNIST into the cache", "latent data fetch mnist"),
            ("List the datasets and whether they are cached", "latent data list"),
        ],
    };

    /// <summary>Replaces the help option's action by one that writes the examples after the usual help.</summary>
    public static void AddTo(RootCommand root)
    {
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
            if (help.Action is SynchronousCommandLineAction inner) help.Action = new WithExamples(inner);
    }

    private sealed class WithExamples(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        /// <summary>As the help action: --help works even when required options are missing.</summary>
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            var command = parseResult.CommandResult.Command;
            string name = command is RootCommand ? "latent" : command.Name;
            if (Examples.TryGetValue(name, out var examples))
            {
                var w = parseResult.InvocationConfiguration.Output;
                w.WriteLine("Examples:");
                foreach (var (what, line) in examples)
                {
                    w.WriteLine($"  {what}:");
                    w.WriteLine($"    {line}");
                }
                w.WriteLine();
            }
            return code;
        }
    }
}

// The walk-through of docs/YOUR-OWN-IMAGES.md end to end through the CLI: a folder of normal images (the subset's
// training 3s as PNG), train a PCA model holding out calibration images, score a mixed folder (test 3s and 5s) as
// CSV with decisions, and check the decisions against the labels in the file names. PCA is fitted exactly, so the
// figures are fixed: 2 of the 20 normal 3s are flagged (a false-alarm rate of 0.10, within alpha = 0.2) and 10 of
// the 20 fives (detection 0.5), from 30 training images of which 12 calibrate.
using Microsoft.VisualBasic.FileIO;

namespace Latent.Tests.Cli;

public sealed class YourOwnImagesWalkthroughTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TrainOnAFolderScoreAMixedFolderAndTheDecisionsFollowTheLabels()
    {
        string normal = UserImageFolders.Write(_dir.File("normal"), TestData.SubsetTrain, 3);
        string mixed = UserImageFolders.Write(_dir.File("mixed"), TestData.SubsetTest, 3, 5);
        string model = _dir.File("threes.safetensors");

        var train = CliRunner.Run("train", "--model", "pca", "--latent", "8", "--dataset", normal, "--calibration", "0.4", "--out", model);
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains($"{normal} (28x28 images): fitting pca on 18 images", train.Err, StringComparison.Ordinal);

        string csv = _dir.File("scores.csv");
        var score = CliRunner.Run("score", "--model-file", model, "--input", mixed, "--alpha", "0.2", "--output", csv);
        Assert.True(score.ExitCode == 0, score.Err);
        Assert.Contains("wrote 40 rows (csv)", score.Out, StringComparison.Ordinal);

        var rows = ReadCsv(csv);
        Assert.Equal(40, rows.Count);
        int falseAlarms = 0, detections = 0;
        foreach (var row in rows)
        {
            Assert.True(File.Exists(row["path"]), $"{row["path"]} is not a full path to the image");
            bool novel = row["decision_recon"] switch { "novel" => true, "normal" => false, var d => throw new InvalidDataException(d) };
            if (UserImageFolders.Label(row["path"]) == 3) falseAlarms += novel ? 1 : 0;
            else detections += novel ? 1 : 0;
        }
        Assert.Equal(2, falseAlarms);     // 0.10 of the normal images, within alpha = 0.2
        Assert.Equal(10, detections);     // 0.50 of the fives
    }

    /// <summary>Rows of a CSV file by column name, read with .NET's RFC 4180 reader (TextFieldParser).</summary>
    internal static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        string[] header = parser.ReadFields()!;
        var rows = new List<Dictionary<string, string>>();
        while (!parser.EndOfData)
        {
            string[] fields = parser.ReadFields()!;
            Assert.Equal(header.Length, fields.Length);
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }
        return rows;
    }
}

// Invariances a class model can be given, whatever its kind (Invariance/InvariantModel applies them):
//   Preprocess: the training and every scored image are first deskewed (moment-based shear correction: second
//     moments, shear by -cov(x, y)/var(y) about the centroid, bilinear; the classic MNIST deskew of LeCun et al.'s
//     benchmarks) and / or centred (centroid moved to the image centre, bilinear);
//   Tta (test-time augmentation): an image's score is the MINIMUM over small transformations of it (the identity,
//     the 8 one-pixel shifts, and with rotations also +-10 degrees about the centre): the image is scored as its most
//     normal-looking nearby version, so a slightly displaced normal image is not called novel.
// Stored in the model options (ModelOptions.Invariance), so a saved model applies them when `latent score` reads it.
using System.Text.Json.Serialization;

namespace Latent.Models.Invariance;

/// <summary>A preprocessing step applied to every image before a model sees it (deskew, center, normalize).</summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<Preprocess>))]
public enum Preprocess
{
    None = 0,
    Deskew = 1,
    Centre = 2,
    /// <summary>Each image scaled to unit Euclidean norm (after deskew and centring): stroke width and ink amount
    /// stop counting, as for the cosine metric.</summary>
    Normalise = 4,
}

/// <summary>The transformations a score is minimised over at test time (none, shifts, shifts and rotations).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TestTimeAugmentation>))]
public enum TestTimeAugmentation
{
    None,
    Shifts,
    ShiftsRotations,
}

/// <summary>Invariances a class model can be given, whatever its kind (Invariance/InvariantModel applies them).</summary>
public sealed record ImageInvariance
{
    public Preprocess Preprocess { get; init; }
    public TestTimeAugmentation Tta { get; init; }

    [JsonIgnore]
    public bool IsNone => Preprocess == Preprocess.None && Tta == TestTimeAugmentation.None;

    /// <summary>"deskew,centre + tta shifts" and the like, for reports and messages.</summary>
    public string Describe() =>
        IsNone ? "none" : string.Join(" + ", new[] { Preprocess == Preprocess.None ? null : PreprocessText(Preprocess), Tta == TestTimeAugmentation.None ? null : "tta " + TtaText(Tta) }.Where(s => s is not null));

    public static string PreprocessText(Preprocess p) => p == Preprocess.None ? "none"
        : string.Join(",", new[] { (Preprocess.Deskew, "deskew"), (Preprocess.Centre, "center"), (Preprocess.Normalise, "normalize") }.Where(t => (p & t.Item1) != 0).Select(t => t.Item2));

    public static string TtaText(TestTimeAugmentation t) => t switch
    {
        TestTimeAugmentation.Shifts => "shifts",
        TestTimeAugmentation.ShiftsRotations => "shifts+rotations",
        _ => "none",
    };

    public void Validate()
    {
        if (((int)Preprocess & ~7) != 0) throw new ArgumentException($"preprocessing {(int)Preprocess} is unknown; use none or a comma list of deskew, center, normalize.");
        if (!Enum.IsDefined(Tta)) throw new ArgumentException($"test-time augmentation {(int)Tta} is unknown; use none, shifts or shifts+rotations.");
    }
}

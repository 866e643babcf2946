// The class-modelling protocol of the seed study (../shared/seeds/000_*.txt) as a library call: for each real class
// (one, or each in turn for one-vs-rest) fit the kind on that class's training samples, once per latent size (and per
// seed for an ensemble), score the real class's test samples against the fake classes', and turn every score into
// a result row (balanced error at the best threshold with its bootstrap interval, pooled error, AUROC). With a
// conformal request, a calibration part of the class's training images is held out (CalibrationSplit), the models
// are fitted on the rest, and each row also gets the false-alarm and detection rates at the conformal thresholds
// from the calibration scores (ConformalResult), beside the oracle balanced error. The CLI's
// `latent classmodel` only binds options, loads data, calls this and prints: a library user gets the same rows.
// The run also carries the fitted models' training alarms and, for a report, explanations of the most novel, most
// typical and most borderline test images (ExplanationCase) by the best-AUROC model that reconstructs. With Fuse, a
// further 10 % of the class's training images is held out and every (model, score) row is also fused into one
// "fused" row (ScoreFusion); with FitFusionWeights a "fused-fit" row too, the weights fitted on the held-out normal
// images against a sample of the fake classes' TRAINING images (ScoreFusion.FuseFitted). Companions are further kinds
// fitted on the same training images, reported and fused beside the main model.
using System.Diagnostics;

namespace Latent.Models.Evaluation;

/// <summary>The class-modelling protocol of the seed study (../shared/seeds/000_*.txt) as a library call.</summary>
public static class ClassModelProtocol
{
    /// <summary>How many real and fake test images a report shows.</summary>
    public const int ImagesShown = 12;

    /// <summary>Reference (training) images of a report's explanations when the model's codes come from a latent search.</summary>
    public const int SearchedReference = 256;

    public static ClassModelRun Run(ClassModelRequest request, LabelledSamples train, LabelledSamples test,
        IProgress<ClassModelProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var names = train.ClassNames;
        if (test.ClassNames.Count != names.Count) throw new ArgumentException($"{train.Name} has {names.Count} classes but {test.Name} has {test.ClassNames.Count}.");
        if (train.X.Shape != test.X.Shape) throw new ArgumentException($"{train.Name} holds {train.X.Shape} images but {test.Name} holds {test.X.Shape}.");
        int[] reals = request.RealClass is int r ? [r] : Enumerable.Range(0, names.Count).ToArray();
        foreach (int c in reals.Concat(request.FakeClasses ?? []))
            if (c < 0 || c >= names.Count) throw new ArgumentException($"class {c} is not one of the {names.Count} classes of {train.Name}.");
        if (request.FakeClasses is { Count: 0 }) throw new ArgumentException("the fake side needs at least one class.");
        if (request.RealClass is int rc && request.FakeClasses is not null && request.FakeClasses.Contains(rc))
            throw new ArgumentException($"the fake classes include the real class {names[rc]}; they must differ from it.");
        if (request.Ensemble < 1) throw new ArgumentException($"an ensemble has at least 1 member, got {request.Ensemble}.");
        if (request.Ensemble > 1 && !request.Model.IsTrained)
            throw new ArgumentException($"model '{request.Model.Name}' is fitted exactly, so ensemble members would be identical; ensembles are for the trained models ({ModelRegistry.Names(e => e.IsTrained)}).");
        ModelRegistry.ValidateLatents(request.Model, request.Latents, train.X.Dim);
        request.Conformal?.Validate();

        var sw = Stopwatch.StartNew();
        string? fakeName = request.FakeClasses is null ? null : string.Join(",", request.FakeClasses.Select(f => names[f]));
        var entries = new List<ClassModelEntry>();
        int trainCount = 0, realCount = 0, fakeCount = 0;
        ClassModelImages? images = null;
        var explained = new List<Explanations.ExplanationCase>();
        var alarms = new List<(string, string)>();
        foreach (int c in reals)
        {
            cancellation.ThrowIfCancellationRequested();
            var fakes = request.FakeClasses ?? Enumerable.Range(0, names.Count).Where(k => k != c).ToArray();
            var trainC = train.OfClass(c);
            if (trainC.Count < 2) throw new ArgumentException($"class {names[c]} has {trainC.Count} training images in {train.Name}; a class model needs at least 2.");
            var realTest = test.OfClass(c);
            var (fakeTest, fakeLabels) = test.OfClassesLabelled(fakes);
            if (realTest.Count == 0 || fakeTest.Count == 0)
                throw new ArgumentException($"{test.Name} has {realTest.Count} images of class {names[c]} and {fakeTest.Count} of the fake classes; both are needed.");
            Samples? calibration = null;
            if (request.Conformal is { } conf)
            {
                (trainC, var cal) = Conformal.CalibrationSplit.Split(trainC, conf.Fraction, conf.Seed);
                conf.CheckCertifiable(cal.Count);
                calibration = cal;
            }
            Samples? fuseReference = null;
            if (request.Fuse)
            {
                (trainC, var held) = Conformal.CalibrationSplit.Split(trainC, ScoreFusion.Fraction, ScoreFusion.Seed);
                fuseReference = held;
            }
            progress?.Report(new ClassModelProgress(true,
                $"class {names[c]}: fitting {request.Model.Name} on {trainC.Count} training images{(calibration is Samples k ? $" ({k.Count} held out for calibration)" : "")}, testing {realTest.Count} real vs {fakeTest.Count} fake ..."));
            var models = Fit(request, trainC, progress, cancellation).Select(m => (Model: m, request.Scores)).ToList();
            foreach (var companion in request.Companions)
            {
                progress?.Report(new ClassModelProgress(false, $"class {names[c]}: fitting {companion.Model.Name} beside {request.Model.Name} for the fusion ..."));
                var sub = request with { Model = companion.Model, Options = companion.Options, Latents = companion.Latents, Ensemble = 1, Scores = null };
                models.AddRange(Fit(sub, trainC, progress, cancellation).Select(m => (Model: m, Scores: (IReadOnlyCollection<string>?)null)));
            }
            Samples? fakeReference = null;
            if (request.Fuse && request.FitFusionWeights)
            {
                // training-split images of the fake classes (never fitted on, never test images), a seeded sample
                var fr = train.OfClasses(fakes);
                if (fr.Count == 0) throw new ArgumentException($"fitting the fusion weights needs training images of the fake classes; {train.Name} has none.");
                fakeReference = fr.Count <= ScoreFusion.FakeReferenceCount ? fr
                    : Conformal.CalibrationSplit.Split(fr, (double)ScoreFusion.FakeReferenceCount / fr.Count, ScoreFusion.Seed).Calibration;
            }
            var fittedTerms = new List<(double[] Reference, double[] FakeReference, double[] Real, double[] Fake)>();
            var calScores = new Dictionary<IClassModel, IReadOnlyDictionary<string, double[]>>();
            var classEntries = new List<(IClassModel Model, ClassModelEntry Entry)>();
            var terms = new List<(double[] Reference, double[] Real, double[] Fake)>();
            var seen = new Dictionary<(string, int?), int>();
            foreach (var (m, only) in models)
            {
                var sc = calibration is Samples cs ? m.Score(cs) : null;
                if (sc is not null) calScores[m] = sc;
                // a companion of the main model's kind and latent (--fuse-with "knn" beside --model knn) is "knn-2", ...
                int nth = seen[(m.Name, m.Latent)] = seen.GetValueOrDefault((m.Name, m.Latent)) + 1;
                var evaluated = Evaluator.Evaluate(m, realTest, fakeTest, names[c], fakeName ?? "rest", only)
                    .Select(e => nth == 1 ? e : (e.Result with { Model = $"{m.Name}-{nth}" }, e.Real, e.Fake)).ToList();
                foreach (var (row, sr, sf) in evaluated)
                {
                    var e = new ClassModelEntry(row, sr, sf, sc is null ? null
                        : Conformal.ConformalResult.Measure(new Conformal.ConformalScores(sc[row.Score]), request.Conformal!, sr, sf)) { FakeLabels = fakeLabels };
                    entries.Add(e);
                    classEntries.Add((m, e));
                }
                if (fuseReference is Samples fr)
                {
                    var reference = m.Score(fr);
                    foreach (var (row, sr, sf) in evaluated) terms.Add((reference[row.Score], sr, sf));
                    if (fakeReference is Samples fk)
                    {
                        var fakeScores = m.Score(fk);
                        foreach (var (row, sr, sf) in evaluated) fittedTerms.Add((reference[row.Score], fakeScores[row.Score], sr, sf));
                    }
                }
                if (Invariance.InvariantModel.Unwrap(m) is Scores.GenerativeScores g)   // inside --preprocess / --tta too
                    alarms.AddRange(g.Model.Alarms.Select(a => ($"{(reals.Length > 1 ? $"class {names[c]}: " : "")}{Caption(m)}", a)));
            }
            if (terms.Count > 0)
            {
                var (fr, ff, _) = ScoreFusion.Fuse(terms);
                entries.Add(FusedEntry(names[c], fakeName ?? "rest", ScoreFusion.Fused.Name, fr, ff) with { FakeLabels = fakeLabels });
            }
            if (fittedTerms.Count > 0)
            {
                var (fr, ff, weights) = ScoreFusion.FuseFitted(fittedTerms);
                entries.Add(FusedEntry(names[c], fakeName ?? "rest", ScoreFusion.FusedFitted.Name, fr, ff) with { FakeLabels = fakeLabels });
                progress?.Report(new ClassModelProgress(false, $"class {names[c]}: fusion weights fitted on training images: " +
                    string.Join(", ", weights.Select(w => w.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))));
            }
            if (request.KeepImages && !request.OneVsRest)
            {
                images = Images(models.Select(m => m.Model).ToList(), realTest, fakeTest, names[c], fakeName ?? "rest");
                explained.AddRange(Explain(classEntries, calScores, request.Conformal, realTest, fakeTest, trainC));
            }
            trainCount += trainC.Count;
            realCount += realTest.Count;
            fakeCount += fakeTest.Count;
        }
        return new ClassModelRun(request, train.Name, names, reals, entries, sw.Elapsed.TotalSeconds, trainCount, realCount, fakeCount, images)
        {
            Explained = explained,
            Alarms = alarms,
        };
    }

    /// <summary>The training images a report's explanations of <paramref name="model"/> compare with: all of
    /// <paramref name="train"/>, but SearchedReference evenly spaced ones for a generator without an encoder (inside any
    /// invariance wrapper), which codes every reference image by a latent search of hundreds of generator passes.</summary>
    public static Samples ExplanationReference(IClassModel model, Samples train)
    {
        return Invariance.InvariantModel.Unwrap(model) is Scores.GenerativeScores { Model: not IEncoder } && train.Count > SearchedReference
            ? train.Select(Enumerable.Range(0, SearchedReference).Select(i => (int)((long)i * train.Count / SearchedReference)).ToArray())
            : train;
    }

    /// <summary>The report's explained test images: by the (model, score) of highest AUROC among the models that
    /// reconstruct, at its conformal threshold when measured, else its oracle threshold.</summary>
    private static IReadOnlyList<Explanations.ExplanationCase> Explain(List<(IClassModel Model, ClassModelEntry Entry)> entries,
        Dictionary<IClassModel, IReadOnlyDictionary<string, double[]>> calScores, Conformal.ConformalRequest? conformal, Samples real, Samples fake, Samples train)
    {
        var best = entries.Where(e => Invariance.InvariantModel.Reconstructor(e.Model) is not null && double.IsFinite(e.Entry.Result.Auroc))
            .OrderByDescending(e => e.Entry.Result.Auroc).FirstOrDefault();
        if (best.Model is null) return [];
        string score = best.Entry.Result.Score;
        var calibration = conformal is not null && calScores.TryGetValue(best.Model, out var sc)
            ? new Conformal.ConformalCalibration(conformal.Fraction, conformal.Seed, sc.ToDictionary(kv => kv.Key, kv => kv.Value))
            : null;
        double threshold = best.Entry.Conformal is { } cr ? cr.Threshold : best.Entry.Result.Threshold;
        train = ExplanationReference(best.Model, train);
        var explainer = new Explanations.Explainer(best.Model, new Explanations.ExplainerOptions
        {
            Score = score,
            Calibration = calibration,
            Alpha = conformal?.Alpha,
            Reference = train,
            TypicalSamples = SearchedReference,
        });
        return Explanations.ExplanationCase.Pick(explainer, $"{Caption(best.Model)} {score}", real, fake, best.Entry.RealScores, best.Entry.FakeScores, threshold, train);
    }

    /// <summary>The fitted models of one class: one per latent size, or K members per latent size (named
    /// "vae-s&lt;seed&gt;") followed by their ensemble ("vae-ensK").</summary>
    public static IReadOnlyList<IClassModel> Fit(ClassModelRequest request, Samples train, IProgress<ClassModelProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = request.Model;
        var context = new FitContext
        {
            Scores = request.Scores,
            Cancellation = cancellation,
            Log = progress is null ? null : line => progress.Report(new ClassModelProgress(false, line)),
        };
        IReadOnlyList<int?> latents = entry.HasLatent ? request.Latents.Select(k => (int?)k).ToArray() : [null];
        if (request.Ensemble == 1)
            return entry.Fit(train, latents.Select(k => new FitItem(entry.Adapt(request.Options, k, train.Shape))).ToArray(), context);
        var models = new List<IClassModel>();
        foreach (int? k in latents)
        {
            var options = entry.Adapt(request.Options, k, train.Shape);
            int seed = ((TrainedModelOptions)options).Training.Seed;
            var items = Enumerable.Range(0, request.Ensemble).Select(i => new FitItem(
                WithSeed((TrainedModelOptions)options, seed + i), $"{entry.Name}-s{seed + i}")).ToArray();
            var members = entry.Fit(train, items, context);
            models.AddRange(members);
            models.Add(new ClassModelEnsemble(members, $"{entry.Name}-ens{members.Count}"));
        }
        return models;
    }

    private static TrainedModelOptions WithSeed(TrainedModelOptions o, int seed) => o with { Training = o.Training with { Seed = seed } };

    /// <summary>The row of a fused score (model "fused"): its errors, AUROC, threshold and balanced-error interval.</summary>
    private static ClassModelEntry FusedEntry(string real, string fake, string score, double[] fr, double[] ff)
    {
        var bm = BinaryMetrics.Compute(fr, ff);
        var (low, high) = BalancedErrorInterval.Compute(fr, ff);
        return new ClassModelEntry(new ClassModelResult(real, fake, "fused", null, score,
            bm.BalancedError, bm.PooledError, bm.Auroc, bm.Threshold, low, high), fr, ff);
    }

    /// <summary>Models with reconstructions and codes for the report (not a generator whose latent search is off).</summary>
    private static bool Reconstructs(IClassModel m) => Invariance.InvariantModel.Reconstructor(m) is not null;

    /// <summary>The report's images: the first test images as the models see them (preprocessed, when they are), each
    /// reconstructing model's reconstructions of them, and the codes of every test image under the smallest latent size.</summary>
    private static ClassModelImages Images(IReadOnlyList<IClassModel> models, Samples real, Samples fake, string realName, string fakeName)
    {
        int n = Math.Min(ImagesShown, Math.Min(real.Count, fake.Count));
        var shown = models.FirstOrDefault(Reconstructs);
        var r = shown is null ? real.Slice(0, n) : Invariance.InvariantModel.Seen(shown, real.Slice(0, n));
        var f = shown is null ? fake.Slice(0, n) : Invariance.InvariantModel.Seen(shown, fake.Slice(0, n));
        var recs = models.Where(Reconstructs)
            .Select(m => (Name: Caption(m), Real: Recon(m, real.Slice(0, n)), Fake: Recon(m, fake.Slice(0, n))))
            .ToList();
        (string, float[], int, int[], string[])? codes = null;
        if (models.Where(Reconstructs).MinBy(m => m.Latent ?? int.MaxValue) is IClassModel enc)
        {
            // codes of every real and fake test image under the smallest latent size, coloured real / fake
            var e = Invariance.InvariantModel.Reconstructor(enc)!;
            var zr = e.Encode(Invariance.InvariantModel.Seen(enc, real));
            var zf = e.Encode(Invariance.InvariantModel.Seen(enc, fake));
            int dims = zr.Length / Math.Max(1, real.Count);
            var classes = Enumerable.Repeat(0, real.Count).Concat(Enumerable.Repeat(1, fake.Count)).ToArray();
            codes = (Caption(enc), [.. zr, .. zf], dims, classes, [$"real ({realName})", $"fake ({fakeName})"]);
        }
        return new ClassModelImages(r.X, f.X, n, real.Shape, recs, codes);
    }

    private static float[] Recon(IClassModel m, Samples x) =>
        Invariance.InvariantModel.Reconstructor(m)!.Reconstruct(Invariance.InvariantModel.Seen(m, x));

    private static string Caption(IClassModel m) => m.Latent is int k ? $"{m.Name} k={k}" : m.Name;
}

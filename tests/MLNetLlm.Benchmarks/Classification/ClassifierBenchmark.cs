using System.Globalization;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.TorchSharp;
using Microsoft.ML;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Classification;

/// <summary>
/// Classifier fine-tuning speed on real mails (SpamAssassin bodies, a stratified sample): training examples/s of
/// <c>BinaryClassification.Trainers.Llm.FineTuneGpt</c> for the shipped model (last block + head, and LoRA) and for a
/// randomly initialised GPT-2-small-shaped model (last block + head, a few steps), and scoring rows/s of the fitted
/// transformer, batched (<c>Transform</c>, 16 rows per model call) against one row at a time (a
/// <c>PredictionEngine</c>), with each model's peak resident memory; beside ML.NET's <c>FeaturizeText</c> +
/// <c>SdcaLogisticRegression</c> trained and scored the same ways on the same mails in the same run. The encoder rows:
/// <c>BinaryClassification.Trainers.Llm.FineTuneEncoder</c> on all-MiniLM-L6-v2 (every weight, and LoRA), same mails,
/// same 128-token cut, the same measurements.
/// </summary>
public static class ClassifierBenchmark
{
    private const int MaxTokens = 128;   // the shipped model's context
    private const int Passes = 3;        // median of this many fits (ML.NET) and scorings (all)

    /// <summary>A row of the benchmark data.</summary>
    public sealed class Mail
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    private sealed record Row(string Model, string Trains, int TrainRows, double TrainPerSecond, int ScoreRows,
        double BatchedPerSecond, int SingleRows, double SinglePerSecond, long PeakMegabytes);

    /// <summary>Runs on a stratified 5 % sample of the SpamAssassin mails (bodies cut at 2,000 characters) and writes a markdown table.</summary>
    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var sample = ml.Data.Llm.SampleStratified(ml.Data.Llm.LoadSpamAssassin(), "Label", 0.05, seed: 1);
        var random = new Random(1);
        var mails = ml.Data.CreateEnumerable<Mail>(sample, reuseRowObject: false)
            .Where(m => m.Text.Trim().Length > 0)
            .Select(m => new Mail { Text = m.Text.Length <= 2000 ? m.Text : m.Text[..2000], Label = m.Label })
            .OrderBy(_ => random.Next()) // the corpus comes group by group: mix ham and spam so any prefix has both
            .ToList();
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mails.Count} SpamAssassin mails ({mails.Count(m => m.Label)} spam), bodies cut at 2,000 characters, GPTs read the first {MaxTokens} tokens; " +
            $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads."));
        output.WriteLine();

        var rows = new List<Row> { Baseline(ml, mails) };
        rows.Add(FineTuned(ml, mails, "brown-gpt (shipped, 3.3 M)", "last block + head", null, FineTuneParameters.LastBlocks, trainRows: 96, batchSize: 16, scoreRows: 96, singleRows: 96));
        rows.Add(FineTuned(ml, mails, "brown-gpt (shipped, 3.3 M)", "LoRA r8 + head", null, FineTuneParameters.LoRA, trainRows: 96, batchSize: 16, scoreRows: 96, singleRows: 96));
        rows.Add(Gpt2SmallShape(ml, mails));
        rows.Add(FineTunedEncoder(ml, mails, "all weights + head", FineTuneParameters.All, 5e-5));
        rows.Add(FineTunedEncoder(ml, mails, "LoRA r8 + head", FineTuneParameters.LoRA, 5e-4));

        var reference = rows[0];
        output.WriteLine("| model | trains | train examples/s | vs ML.NET | scoring rows/s, batched | one row at a time | batched / one row | vs ML.NET batched | peak RSS (MB) |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.Trains} | {r.TrainPerSecond:N1} ({r.TrainRows}) | {r.TrainPerSecond / reference.TrainPerSecond:0.0000}x | " +
                $"{r.BatchedPerSecond:N1} ({r.ScoreRows}) | {r.SinglePerSecond:N1} ({r.SingleRows}) | {r.BatchedPerSecond / r.SinglePerSecond:0.00}x | " +
                $"{r.BatchedPerSecond / reference.BatchedPerSecond:0.0000}x | {r.PeakMegabytes} |"));
        output.WriteLine();
        output.WriteLine("Rows measured in brackets. GPT training examples/s is batch size / the median step of the trainer (the first step, " +
            "which holds tokenizing and warm-up, left out); the ML.NET baseline's is rows / the whole Fit (FeaturizeText + SDCA). " +
            $"Scoring: batched and one-row passes alternate, median of {Passes} each, on the same rows. Peak RSS is Linux VmHWM, reset before each model.");
    }

    private static Row Baseline(MLContext ml, List<Mail> mails)
    {
        ResetPeakResident();
        var data = ml.Data.LoadFromEnumerable(mails);
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(Mail.Text))
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());
        ITransformer model = pipeline.Fit(data); // warm-up: JIT
        var fits = new List<double>();
        var batched = new List<double>();
        var single = new List<double>();
        for (int pass = 0; pass < Passes; pass++)
        {
            fits.Add(Time(() => model = pipeline.Fit(data)));
            batched.Add(Time(() => CountRows(model.Transform(data))));
            using var engine = ml.Model.CreatePredictionEngine<Mail, Prediction>(model);
            single.Add(Time(() => { foreach (var mail in mails) engine.Predict(mail); }));
        }
        return new Row("ML.NET FeaturizeText + SdcaLogisticRegression (reference)", "everything", mails.Count, mails.Count / Median(fits),
            mails.Count, mails.Count / Median(batched), mails.Count, mails.Count / Median(single), PeakResidentMegabytes() ?? 0);
    }

    private static Row FineTuned(MLContext ml, List<Mail> mails, string name, string trains, string? baseModelPath, FineTuneParameters parameters,
        int trainRows, int batchSize, int scoreRows, int singleRows, LlmTokenizer? tokenizer = null, bool reset = true)
    {
        if (reset) ResetPeakResident();
        return Measured(ml, mails, name, trains, trainRows, batchSize, scoreRows, singleRows, progress =>
            ml.BinaryClassification.Trainers.Llm.FineTuneGpt(new FineTuneGptOptions
            {
                BaseModelPath = baseModelPath,
                Tokenizer = tokenizer,
                Seed = 1,
                Progress = progress,
                Training = Training(parameters, batchSize, 1e-3),
            }));
    }

    /// <summary>all-MiniLM-L6-v2 (MLNetLlm.Models) fine-tuned with <c>FineTuneEncoder</c>, mean pooling, 128 word pieces.</summary>
    private static Row FineTunedEncoder(MLContext ml, List<Mail> mails, string trains, FineTuneParameters parameters, double learningRate)
    {
        ResetPeakResident();
        return Measured(ml, mails, "all-MiniLM-L6-v2 (22.7 M)", trains, trainRows: 96, batchSize: 16, scoreRows: 96, singleRows: 96, progress =>
            ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(new FineTuneEncoderOptions
            {
                Seed = 1,
                Progress = progress,
                Training = Training(parameters, 16, learningRate),
            }));
    }

    private static ClassifierTrainingOptions Training(FineTuneParameters parameters, int batchSize, double learningRate) => new()
    {
        Parameters = parameters,
        MaxEpochs = 1,
        BatchSize = batchSize,
        MaxSequenceLength = MaxTokens,
        LearningRate = learningRate,
        EvaluateEveryNSteps = int.MaxValue,
    };

    /// <summary>Fits the estimator on the first <paramref name="trainRows"/> mails (its step times give the training rate), then times batched and one-row scoring.</summary>
    private static Row Measured(MLContext ml, List<Mail> mails, string name, string trains, int trainRows, int batchSize, int scoreRows, int singleRows,
        Func<IProgress<TrainingProgress>, FineTuneClassifierEstimator> estimator)
    {
        var stepEnds = new List<TimeSpan>();
        using var model = estimator(new Inline(p => stepEnds.Add(p.Elapsed))).Fit(ml.Data.LoadFromEnumerable(mails.Take(trainRows)));
        // The median step, so a burst of load on the shared machine during one step does not move the rate.
        var steps = stepEnds.Skip(1).Select((end, i) => (end - stepEnds[i]).TotalSeconds).ToList();
        double trainPerSecond = batchSize / Median(steps);

        var scored = mails.Take(scoreRows).ToList();
        var data = ml.Data.LoadFromEnumerable(scored);
        CountRows(model.Transform(ml.Data.LoadFromEnumerable(scored.Take(batchSize)))); // warm-up
        using var engine = ml.Model.CreatePredictionEngine<Mail, Prediction>(model);
        engine.Predict(scored[0]); // warm-up
        var batchedTimes = new List<double>();
        var singleTimes = new List<double>();
        for (int pass = 0; pass < Passes; pass++) // alternated, so both see the same load
        {
            batchedTimes.Add(Time(() => CountRows(model.Transform(data))));
            singleTimes.Add(Time(() => { foreach (var mail in scored.Take(singleRows)) engine.Predict(mail); }));
        }
        double batched = scored.Count / Median(batchedTimes);
        double single = singleRows / Median(singleTimes);
        return new Row(name, trains, (stepEnds.Count - 1) * batchSize, trainPerSecond, scored.Count, batched, singleRows, single, PeakResidentMegabytes() ?? 0);
    }

    /// <summary>A randomly initialised GPT-2-small-shaped model (124 M parameters, GPT-2 tokenizer), saved as a checkpoint
    /// for the trainer to start from: a few steps of batch 4 and a small scoring run, enough for a rate.</summary>
    private static Row Gpt2SmallShape(MLContext ml, List<Mail> mails)
    {
        ResetPeakResident();
        var folder = Path.Combine(Path.GetTempPath(), "mlnetllm-classifier-benchmark-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tokenizer = LlmTokenizers.Gpt2();
            using (var model = new GptModel(GptConfig.Gpt2Small with { Dropout = 0.0 }, seed: 1))
                GptCheckpoint.Save(model, folder, tokenizer);
            return FineTuned(ml, mails, "GPT-2 small shape (random init, 124 M)", "last block + head", folder, FineTuneParameters.LastBlocks,
                trainRows: 16, batchSize: 4, scoreRows: 32, singleRows: 32, tokenizer, reset: false);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static int CountRows(IDataView view)
    {
        var column = view.Schema["PredictedLabel"];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<bool>(column);
        bool value = false;
        int count = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            count++;
        }
        return count;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

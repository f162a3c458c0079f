using System.Diagnostics;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;

/// <summary>
/// SetFit on a few mails per class with <c>ml.BinaryClassification.Trainers.Llm.SetFit</c>: contrastive fine-tuning of a
/// copy of MiniLM on pairs generated from the mails (CosineSimilarityLoss), then a logistic-regression head.
/// </summary>
internal static class SetFitRun
{
    /// <summary>
    /// SetFit's pair-generation rounds for <paramref name="mails"/> training mails: SetFit's 20, fewer when
    /// 2 · rounds · mails would pass <paramref name="maxPairs"/> (at least one round).
    /// </summary>
    public static int PairIterations(int mails, Settings settings) =>
        Math.Max(1, Math.Min(settings.PairIterations, settings.MaxPairs / (2 * mails)));

    /// <summary>Trains SetFit on <paramref name="train"/> and scores the test mails with it.</summary>
    public static FewShotResult Run(MLContext ml, PretrainedEncoder baseEncoder, IReadOnlyList<Mail> train, IReadOnlyList<Mail> test,
        int perClass, Settings settings)
    {
        var iterations = PairIterations(train.Count, settings);
        var options = new SetFitOptions
        {
            LabelColumnName = nameof(Mail.Label),
            TextColumnName = nameof(Mail.Text),
            PairIterations = iterations,
            BaseEncoder = baseEncoder,
            HeadL2Regularization = settings.HeadL2,
            Seed = settings.Seed,
            Training = new SentenceEmbedderTrainingOptions { BatchSize = 16, LearningRate = 2e-5, Seed = settings.Seed },
            Progress = new GlossTraining.ConsoleProgress($"SetFit {perClass}/class"),
        };
        var watch = Stopwatch.StartNew();
        using var model = ml.BinaryClassification.Trainers.Llm.SetFit(options).Fit(ml.Data.LoadFromEnumerable(train));
        var seconds = watch.Elapsed.TotalSeconds;
        var pairs = model.Report!.TrainingPairs;
        return FewShotResult.Evaluate(ml, $"SetFit ({pairs} pairs, {iterations} rounds; L2-only head, L2 {settings.HeadL2:G3})", perClass,
            model.Transform(ml.Data.LoadFromEnumerable(test)), test.Count, seconds);
    }
}

using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Trains a sentence encoder in place on contrastive pairs with the loop every MLNetLlm trainer shares (AdamW,
/// warmup + cosine, clipping, validation with early stopping and best weights, checkpoints, resume, cancellation,
/// NaN handling). Every parameter trains.
/// </summary>
internal static class SentenceEmbedderTrainer
{
    /// <exception cref="ArgumentException">No pairs, or a single pair (or a BatchSize of 1) for a ranking loss without hard negatives.</exception>
    public static TrainingHistory Train(PretrainedEncoder encoder, ContrastivePairs train, ContrastivePairs? validation, SentenceEmbeddingLoss loss,
        double scale, SentenceEmbedderTrainingOptions options, IProgress<TrainingProgress>? progress, Action<string>? log, CancellationToken cancellationToken)
    {
        options.Validate();
        CheckPairs(train, loss, options, "training");
        if (validation is not null) CheckPairs(validation, loss, options, "validation");
        var model = encoder.Model;
        if (options.Device is { } device) model.to(new torch.Device(device));
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        var task = new ContrastiveTask(model, encoder.Pooling, encoder.Tokenizer.PaddingId ?? 0, train, validation, loss, scale, options);
        try
        {
            return new TrainingLoop(task, options, progress, log).Run(cancellationToken);
        }
        finally
        {
            model.eval();
        }
    }

    private static void CheckPairs(ContrastivePairs pairs, SentenceEmbeddingLoss loss, SentenceEmbedderTrainingOptions options, string set)
    {
        if (pairs.Pairs.Count == 0)
            throw new ArgumentException($"The {set} data has no pairs: there is nothing to learn from.");
        if (!ContrastiveTask.NeedsInBatchNegatives(loss, pairs)) return;
        if (pairs.Pairs.Count < 2)
            throw new ArgumentException($"MultipleNegativesRankingLoss needs at least two pairs, but the {set} data has one: each anchor's negatives are the " +
                "other pairs' positives in its batch, so a single pair has none. Give more rows, a hard-negative column, or use CosineSimilarityLoss.");
        if (options.BatchSize < 2)
            throw new ArgumentException($"MultipleNegativesRankingLoss needs a BatchSize of at least 2 (it is {options.BatchSize}): each anchor's negatives are " +
                "the other pairs' positives in its batch, so a batch of one pair has none. Raise BatchSize or give a hard-negative column.");
    }
}

using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>Scores a GPT on next-token windows: mean cross-entropy and perplexity.</summary>
public static class GptEvaluator
{
    /// <summary>
    /// The mean next-token cross-entropy of <paramref name="model"/> over the windows of <paramref name="source"/> (in
    /// source order, targets of -1 ignored), without gradients and in evaluation mode (no dropout); the model's
    /// training mode is restored afterwards.
    /// </summary>
    /// <param name="model">The model to score.</param>
    /// <param name="source">The windows; their length must not exceed the model's context.</param>
    /// <param name="batchSize">Windows per forward pass. Default 8.</param>
    /// <param name="maxBatches">Score only the first this many batches; null scores every window.</param>
    /// <exception cref="ArgumentException">The source has no windows, windows longer than the context, or no target to score.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A window holds an id outside the vocabulary.</exception>
    public static EvaluationResult Evaluate(GptModel model, ITokenWindowSource source, int batchSize = 8, int? maxBatches = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (maxBatches is < 1) throw new ArgumentOutOfRangeException(nameof(maxBatches), maxBatches, "maxBatches must be at least 1, or null for every window.");
        if (source.WindowCount == 0) throw new ArgumentException("The evaluation set has no windows.", nameof(source));
        if (source.WindowLength > model.Config.ContextLength)
            throw new ArgumentException($"The windows have {source.WindowLength} tokens; the model's context is {model.Config.ContextLength}.", nameof(source));

        var batcher = new WindowBatcher(source, batchSize, seed: null, model.Config.VocabularySize);
        long batches = Math.Min(batcher.BatchCount, maxBatches ?? long.MaxValue);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long count = 0;
            for (long index = 0; index < batches; index++)
            {
                using var scope = NewDisposeScope();
                var (inputs, targets) = batcher.Batch(0, index, model.Device);
                var (batchSum, batchCount) = GptLoss.Summed(model, inputs, targets);
                sum += batchSum.item<float>();
                count += batchCount.item<long>();
            }
            if (count == 0) throw new ArgumentException("Every target of the evaluation windows is ignored (-1): there is nothing to score.", nameof(source));
            return new EvaluationResult(sum / count, count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

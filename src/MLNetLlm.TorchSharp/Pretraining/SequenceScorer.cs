using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>The summed negative log-likelihood of a token sequence and the number of tokens it covers.</summary>
/// <param name="NegativeLogLikelihood">Sum over the scored tokens of −ln p(token | earlier tokens), in nats.</param>
/// <param name="Tokens">The number of tokens scored.</param>
internal readonly record struct SequenceLoss(double NegativeLogLikelihood, long Tokens)
{
    /// <summary>exp(mean loss); NaN when no token was scored.</summary>
    public double Perplexity => Tokens == 0 ? double.NaN : Math.Exp(NegativeLogLikelihood / Tokens);
}

/// <summary>
/// Scores whole token sequences with a decoder (<see cref="GptModel"/>, <see cref="LlamaModel"/>), many at once. A sequence longer than the context is cut
/// into consecutive chunks of context + 1 tokens that overlap by one (each chunk's first token is context only), so
/// every token after the first is scored exactly once; chunks of all sequences are padded on the right into batches
/// (causal attention never lets a real token see the padding after it).
/// </summary>
internal static class SequenceScorer
{
    /// <summary>The loss of each sequence, in order: every token after the first is predicted from those before it.</summary>
    public static SequenceLoss[] Score(GptModel model, IReadOnlyList<IReadOnlyList<int>> sequences, int batchSize) =>
        Score(model, model.Config.ContextLength, sequences, batchSize);

    /// <summary>As above, with chunks of at most <paramref name="context"/> + 1 tokens.</summary>
    public static SequenceLoss[] Score(ICausalLanguageModel model, int context, IReadOnlyList<IReadOnlyList<int>> sequences, int batchSize)
    {
        var chunks = new List<(int Sequence, int Start, int Length)>();
        for (int s = 0; s < sequences.Count; s++)
            for (int start = 0; start + 1 < sequences[s].Count; start += context)
                chunks.Add((s, start, Math.Min(context + 1, sequences[s].Count - start)));

        var nll = new double[sequences.Count];
        var counts = new long[sequences.Count];
        bool wasTraining = model.Module.training;
        model.Module.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in chunks.OrderByDescending(c => c.Length).Chunk(Math.Max(1, batchSize)))
            {
                var losses = ChunkLosses(model, sequences, batch);
                for (int i = 0; i < batch.Length; i++)
                {
                    nll[batch[i].Sequence] += losses[i];
                    counts[batch[i].Sequence] += batch[i].Length - 1;
                }
            }
        }
        finally
        {
            model.Module.train(wasTraining);
        }
        return [.. nll.Select((loss, i) => new SequenceLoss(loss, counts[i]))];
    }

    // Summed loss of each chunk: inputs are the chunk without its last token, targets without its first.
    private static double[] ChunkLosses(ICausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> sequences, (int Sequence, int Start, int Length)[] batch)
    {
        using var scope = NewDisposeScope();
        using var precision = InferencePrecision.Use(model.Module, DecoderPass.Prefill);
        int time = batch.Max(c => c.Length) - 1;
        var inputs = new long[batch.Length * time];
        var targets = new long[batch.Length * time];
        Array.Fill(targets, -1L);
        for (int row = 0; row < batch.Length; row++)
        {
            var (sequence, start, length) = batch[row];
            var tokens = sequences[sequence];
            for (int t = 0; t < length - 1; t++)
            {
                inputs[row * time + t] = tokens[start + t];
                targets[row * time + t] = tokens[start + t + 1];
            }
        }
        var device = model.Device;
        var ids = tensor(inputs, [batch.Length, time], device: device);                 // (B, T)
        var expected = tensor(targets, [batch.Length, time], device: device);          // (B, T)
        var logits = model.Head(model.ForwardHiddenCore(ids, null, null)).to(ScalarType.Float32); // (B, T, V): ids from the checked tokenizer
        var loss = nn.functional.cross_entropy(logits.flatten(0, 1), expected.flatten(), ignore_index: -1, reduction: nn.Reduction.None)
            .view(batch.Length, time)                                                  // (B, T), 0 where ignored
            .sum(1).to(ScalarType.Float64).cpu();                                      // (B)
        return loss.data<double>().ToArray();
    }
}

using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

/// <summary>
/// A text's loss worked out without the library's scorer: one unbatched, unpadded forward pass per chunk of
/// context + 1 tokens (consecutive chunks overlap by one token, so every token after the first is predicted once), and
/// −ln softmax(logits)[next token] in plain C# arithmetic.
/// </summary>
internal static class HandScoring
{
    /// <summary>The summed negative log-likelihood (nats) of every token after the first, and how many tokens that is.</summary>
    public static (double NegativeLogLikelihood, int Tokens) Score(GptModel model, IReadOnlyList<int> tokens)
    {
        bool wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        try
        {
            return ScoreChunks(model, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static (double NegativeLogLikelihood, int Tokens) ScoreChunks(GptModel model, IReadOnlyList<int> tokens)
    {
        int context = model.Config.ContextLength;
        double nll = 0;
        int count = 0;
        for (int start = 0; start + 1 < tokens.Count; start += context)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(context, tokens.Count - 1 - start);
            var ids = tensor(tokens.Skip(start).Take(length).Select(t => (long)t).ToArray(), [1, length]);
            var output = model.Forward(ids);                                         // (1, T, V)
            int vocabulary = (int)output.shape[2];
            var logits = output.to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int t = 0; t < length; t++)
            {
                var row = logits.AsSpan(t * vocabulary, vocabulary);
                double max = double.NegativeInfinity;
                foreach (var x in row) max = Math.Max(max, x);
                double sum = 0;
                foreach (var x in row) sum += Math.Exp(x - max);
                nll += max + Math.Log(sum) - row[tokens[start + t + 1]];
                count++;
            }
        }
        return (nll, count);
    }

    /// <summary>The tokens the transformer scores for a text: the end-of-text id (when the tokenizer has one) then the text's ids.</summary>
    public static IReadOnlyList<int> ScoredTokens(MLNetLlm.Tokenization.LlmTokenizer tokenizer, string text) =>
        tokenizer.EndOfTextId is int start ? [start, .. tokenizer.EncodeToIds(text)] : tokenizer.EncodeToIds(text);
}

using MLNetLlm.Embeddings;
using MLNetLlm.Datasets;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// A small, fast fine-tune for the example: brown-gpt tells Brown news passages (genre A) from romance (genre P). The GPT
/// stays frozen; its mean-pooled final hidden states are computed once and only the classifier's head is trained.
/// </summary>
internal static class GenreClassifier
{
    public static readonly string[] Labels = ["news", "romance"];
    private const int Tokens = 64;

    /// <summary>Passages of about <see cref="Tokens"/> tokens, by genre, split by document: 80% to train, 20% to test.</summary>
    public static (List<(string Text, int Label)> Train, List<(string Text, int Label)> Test) Passages(LlmTokenizer tokenizer)
    {
        var ml = new MLContext(seed: 1);
        var documents = ml.Data.CreateEnumerable<BrownDocument>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false)
            .Where(d => d.Id.Length > 1 && d.Id[1] is 'a' or 'p').ToList();
        var train = new List<(string, int)>();
        var test = new List<(string, int)>();
        foreach (var (document, index) in documents.Select((d, i) => (d, i)))
        {
            int label = document.Id[1] == 'a' ? 0 : 1;
            var words = document.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (int start = 0; start + 40 <= words.Length && start < 400; start += 40)
                (index % 5 == 4 ? test : train).Add((string.Join(' ', words[start..(start + 40)]), label));
        }
        return (train, test);
    }

    /// <summary>Trains the head of <paramref name="classifier"/> on the frozen GPT's pooled states (full-batch AdamW).</summary>
    public static double TrainHead(TextClassifier classifier, LlmTokenizer tokenizer, List<(string Text, int Label)> passages, int steps = 300)
    {
        classifier.eval();
        using var features = Pooled(classifier, tokenizer, passages.Select(p => p.Text));                   // (N, C)
        using var labels = tensor(passages.Select(p => (long)p.Label).ToArray());                           // (N)
        using var optimizer = optim.AdamW(classifier.Score.parameters(), lr: 0.01, weight_decay: 0.01);
        double loss = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = nn.functional.cross_entropy(classifier.Score.forward(features), labels);
            value.backward();
            optimizer.step();
            loss = value.item<float>();
        }
        return loss;
    }

    private static Tensor Pooled(TextClassifier classifier, LlmTokenizer tokenizer, IEnumerable<string> texts)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = new List<Tensor>();
        foreach (var chunk in texts.Chunk(32))
        {
            var ids = chunk.Select(t => tokenizer.EncodeToIds(t).Take(Tokens).ToArray()).ToArray();
            int width = ids.Max(i => i.Length);
            var padded = ids.SelectMany(i => i.Concat(Enumerable.Repeat(0, width - i.Length)).Select(id => (long)id)).ToArray();
            var mask = ids.SelectMany(i => Enumerable.Repeat(1L, i.Length).Concat(Enumerable.Repeat(0L, width - i.Length))).ToArray();
            var hidden = ((GptModel)classifier.Backbone).ForwardHidden(tensor(padded, [ids.Length, width]));      // (B, T, C): causal, so right padding is harmless
            rows.Add(TextClassifier.Pool(hidden, tensor(mask, [ids.Length, width]), EmbeddingPooling.Mean));
        }
        return cat(rows, 0).MoveToOuterDisposeScope();
    }
}

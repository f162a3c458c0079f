using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Builds <see cref="ContrastivePairs"/>: each distinct text tokenized once, as the trained encoder will read it
/// (<see cref="TokenBatch.Encode"/>, cut to its length), and pairs of indices.
/// </summary>
internal sealed class PairTable(LlmTokenizer tokenizer, int maxTokens)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<int[]> _texts = [];
    private readonly List<ContrastivePair> _pairs = [];

    /// <summary>Texts cut to the encoder's length.</summary>
    public int Truncated { get; private set; }

    /// <summary>The index of <paramref name="text"/>, tokenizing it the first time.</summary>
    public int Text(string text)
    {
        if (_index.TryGetValue(text, out int index)) return index;
        var all = tokenizer.EncodeToIds(TokenBatch.Clean(text));
        if (all.Count > maxTokens) Truncated++;
        _texts.Add([.. TokenBatch.Truncate(all, maxTokens, tokenizer.EndOfTextId)]);
        _index.Add(text, _texts.Count - 1);
        return _texts.Count - 1;
    }

    public void Add(ContrastivePair pair) => _pairs.Add(pair);

    public ContrastivePairs Build(bool hasNegatives) => new(_texts, _pairs, hasNegatives);
}

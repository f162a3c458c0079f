using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>The byte-level BPE tokenizers of OpenAI's models, through Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/>.</summary>
internal sealed class TiktokenLlmTokenizer : LlmTokenizer
{
    public static readonly Lazy<TiktokenLlmTokenizer> Gpt2 = new(() => new("gpt2", TiktokenTokenizer.CreateForModel("gpt2"), 50257, "<|endoftext|>"));

    private readonly TiktokenTokenizer _tokenizer;
    private readonly int _vocabularySize;

    private TiktokenLlmTokenizer(string name, TiktokenTokenizer tokenizer, int vocabularySize, string endOfText)
    {
        Name = name;
        _tokenizer = tokenizer;
        _vocabularySize = vocabularySize;
        SpecialTokens = tokenizer.SpecialTokens ?? new Dictionary<string, int>();
        EndOfTextId = SpecialTokens.TryGetValue(endOfText, out int id) ? id : null;
    }

    public override string Name { get; }
    public override int VocabularySize => _vocabularySize;
    public override IReadOnlyDictionary<string, int> SpecialTokens { get; }
    public override int? EndOfTextId { get; }

    public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => _tokenizer.EncodeToIds(text);

    public override void Save(string directory) => TokenizerDescriptor.Write(directory, new TokenizerDescriptor { Kind = Name });

    public override string Decode(IEnumerable<int> ids)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToList();
        foreach (int id in list)
            if ((uint)id >= (uint)_vocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the {Name} vocabulary [0, {_vocabularySize}).");
        return _tokenizer.Decode(list);
    }
}

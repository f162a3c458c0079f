using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>
/// A BPE tokenizer over a vocabulary and ranked merges, read from Hugging Face files (<see cref="LlmTokenizers.Bpe"/>)
/// or learned by <see cref="BpeTrainer"/>. Encoding and decoding run through Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>.
/// </summary>
/// <remarks>
/// Words (matches of the pre-tokenizer pattern) longer than 128 characters are encoded as 128-character pieces, which
/// keeps encoding linear in the text's length; other BPE implementations encode such words whole, so their ids can
/// differ there, and only there.
/// </remarks>
public sealed class BpeLlmTokenizer : LlmTokenizer
{
    private readonly BpeTokenizer _tokenizer;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly List<(string Left, string Right)> _merges;

    /// <summary>Builds the tokenizer; the caller has checked that the merges fit the vocabulary.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent or the pattern is not a regular expression.</exception>
    internal BpeLlmTokenizer(Dictionary<string, int> vocabulary, List<(string Left, string Right)> merges, BpeTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ByteLevel && options.UnknownToken is not null)
            throw new ArgumentException("A byte-level BPE spells every text with its byte tokens: it takes no UnknownToken.", nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.PreTokenizerPattern, nameof(options.PreTokenizerPattern));
        var pattern = new Regex(options.PreTokenizerPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        _vocabulary = vocabulary;
        _merges = merges;
        Options = options;

        int next = vocabulary.Values.Max() + 1;
        var specials = new Dictionary<string, int>();
        foreach (var token in options.AllSpecialTokens())
            specials[token] = vocabulary.TryGetValue(token, out int id) ? id : next++;
        SpecialTokens = specials;
        VocabularySize = next;
        EndOfTextId = options.EndOfTextToken is null ? null : specials[options.EndOfTextToken];
        PaddingId = options.PaddingToken is null ? null : specials[options.PaddingToken];
        UnknownId = options.UnknownToken is null ? null : specials[options.UnknownToken];

        var modelVocabulary = new Dictionary<string, int>(vocabulary);
        if (options.UnknownToken is not null)
            modelVocabulary[options.UnknownToken] = specials[options.UnknownToken];
        try
        {
            _tokenizer = BpeTokenizer.Create(new BpeOptions(modelVocabulary)
            {
                Merges = merges.Select(m => $"{m.Left} {m.Right}"),
                SpecialTokens = specials,
                PreTokenizer = new LongWordSplitter(new RegexPreTokenizer(pattern, specials.Count == 0 ? null : specials)),
                ByteLevel = options.ByteLevel,
                UnknownToken = options.UnknownToken,
            });
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"The BPE vocabulary and merges do not fit together: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override string Name => "bpe";

    /// <inheritdoc/>
    public override int VocabularySize { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <inheritdoc/>
    public override int? EndOfTextId { get; }

    /// <inheritdoc/>
    public override int? PaddingId { get; }

    /// <inheritdoc/>
    public override int? UnknownId { get; }

    /// <summary>How text is split and which special tokens exist.</summary>
    public BpeTokenizerOptions Options { get; }

    /// <summary>The vocabulary as written to <c>vocab.json</c>: token (in the byte-level alphabet when byte-level) → id.</summary>
    public IReadOnlyDictionary<string, int> Vocabulary => _vocabulary;

    /// <summary>The merges in rank order, as written to <c>merges.txt</c>.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <summary>
    /// Writes <c>vocab.json</c> and <c>merges.txt</c> in the Hugging Face GPT-2 format into <paramref name="directory"/>,
    /// which Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (with <c>ByteLevel = true</c> and the same pre-tokenizer)
    /// and Hugging Face tokenizers load to encode identically.
    /// </summary>
    public void ExportVocabularyAndMerges(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        BpeFiles.Write(directory, _vocabulary, _merges);
    }

    /// <inheritdoc/>
    public override void Save(string directory)
    {
        ExportVocabularyAndMerges(directory);
        TokenizerDescriptor.Write(directory, TokenizerDescriptor.Create(Name, Options));
    }

    /// <summary>Reads <c>vocab.json</c> and <c>merges.txt</c>, checking them before anything is built.</summary>
    internal static BpeLlmTokenizer FromFiles(string vocabularyPath, string mergesPath, BpeTokenizerOptions options)
    {
        var vocabulary = BpeFiles.ReadVocabulary(vocabularyPath);
        var merges = BpeFiles.ReadMerges(mergesPath, vocabulary);
        return new BpeLlmTokenizer(vocabulary, merges, options);
    }

    internal static BpeLlmTokenizer Load(TokenizerDescriptor descriptor) =>
        FromFiles(
            Path.Combine(descriptor.Directory, BpeFiles.VocabularyFileName),
            Path.Combine(descriptor.Directory, BpeFiles.MergesFileName),
            descriptor.ReadOptions<BpeTokenizerOptions>());

    /// <inheritdoc/>
    public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => Encode(text, EncodeValid);

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, DecodeChecked);

    private IReadOnlyList<int> EncodeValid(ReadOnlySpan<char> text) => _tokenizer.EncodeToIds(text);

    private protected override IReadOnlyList<int>? EncodeLeading(ReadOnlySpan<char> text, int count)
    {
        var ids = _tokenizer.EncodeToIds(text, count + LeadingSlack, out string? normalized, out int consumed);
        return ids.Count >= count || consumed == (normalized?.Length ?? text.Length) ? ids : null;
    }

    private string DecodeChecked(IReadOnlyList<int> ids) => _tokenizer.Decode(ids);
}

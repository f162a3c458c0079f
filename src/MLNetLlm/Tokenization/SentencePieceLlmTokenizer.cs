using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>
/// A SentencePiece tokenizer (Llama 2, Mistral, TinyLlama) read from its <c>tokenizer.model</c>, encoding and decoding
/// through Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>. Create one with
/// <see cref="LlmTokenizers.SentencePiece"/>; a Hugging Face folder gets one from <see cref="LlmTokenizers.HuggingFaceFolder"/>.
/// </summary>
/// <remarks>
/// Texts encode without a beginning-of-sentence id unless <see cref="SentencePieceTokenizerOptions.AddBeginningOfSentence"/>
/// is set; chat templates write <c>&lt;s&gt;</c> themselves. Saving writes the model file unchanged beside the options.
/// </remarks>
public sealed class SentencePieceLlmTokenizer : LlmTokenizer
{
    /// <summary>The name of the model file in a Hugging Face folder and in a saved tokenizer.</summary>
    public const string ModelFileName = "tokenizer.model";

    // Llama 2's model is 0.5 MB, Gemma's 4 MB: a larger file is not a tokenizer and is refused before it is read.
    private const long MaxModelBytes = 64L << 20;

    private readonly SentencePieceTokenizer _tokenizer;
    private readonly byte[] _model;

    private SentencePieceLlmTokenizer(byte[] model, SentencePieceTokenizerOptions options, string source)
    {
        _model = model;
        Options = options;
        SentencePieceTokenizer probe;
        try
        {
            probe = SentencePieceTokenizer.Create(new MemoryStream(model, writable: false), addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{source} is not a SentencePiece model that loads here: {e.Message}", e);
        }

        // Llama-family models define all three; a model without one (its id -1) is refused by name.
        var specials = new Dictionary<string, int>();
        foreach (var (token, id, role) in new[] { (probe.UnknownToken, probe.UnknownId, "unknown"), (probe.BeginningOfSentenceToken, probe.BeginningOfSentenceId, "beginning-of-sentence"), (probe.EndOfSentenceToken, probe.EndOfSentenceId, "end-of-sentence") })
        {
            if (string.IsNullOrEmpty(token) || id < 0 || specials.ContainsValue(id))
                throw new InvalidDataException($"{source} has no {role} piece of its own, which MLNetLlm's SentencePiece tokenizers need.");
            specials[token] = id;
        }
        int size = probe.Vocabulary.Count == 0 ? 0 : probe.Vocabulary.Values.Max() + 1;
        foreach (var (token, id) in options.AddedTokens)
        {
            if (string.IsNullOrEmpty(token))
                throw new InvalidDataException($"An added token of {source} is empty.");
            if (id < 0)
                throw new InvalidDataException($"The added token '{token}' of {source} has the negative id {id}.");
            if (probe.Vocabulary.TryGetValue(token, out int piece) && piece != id)
                throw new InvalidDataException($"The added token '{token}' of {source} has id {id}, but the model's piece has id {piece}.");
            specials[token] = id;
            size = Math.Max(size, id + 1);
        }
        SpecialTokens = specials;
        VocabularySize = size;
        EndOfTextId = IdOf(options.EndOfTextToken ?? probe.EndOfSentenceToken, "end-of-text", probe, source);
        PaddingId = options.PaddingToken is null ? null : IdOf(options.PaddingToken, "padding", probe, source);
        UnknownId = probe.UnknownId;
        BeginningOfTextId = probe.BeginningOfSentenceId;

        try
        {
            _tokenizer = SentencePieceTokenizer.Create(new MemoryStream(model, writable: false), options.AddBeginningOfSentence, addEndOfSentence: false, specials);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The special tokens of {source} do not fit its pieces: {e.Message}", e);
        }
    }

    private int IdOf(string token, string role, SentencePieceTokenizer probe, string source) =>
        SpecialTokens.TryGetValue(token, out int id) || probe.Vocabulary.TryGetValue(token, out id)
            ? id
            : throw new InvalidDataException($"The {role} token '{token}' is neither a piece of {source} nor an added token.");

    /// <inheritdoc/>
    public override string Name => "sentencepiece";

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

    /// <summary>The beginning-of-sentence id (<c>&lt;s&gt;</c> = 1 in Llama 2).</summary>
    public int BeginningOfTextId { get; }

    /// <summary>The beginning-of-sentence id: SentencePiece models read every text after <c>&lt;s&gt;</c>.</summary>
    public override int? DocumentStartId => BeginningOfTextId;

    /// <summary>How texts are framed and which special tokens exist.</summary>
    public SentencePieceTokenizerOptions Options { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => Encode(text, EncodeValid);

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, valid => _tokenizer.Decode(valid, considerSpecialTokens: true));

    private IReadOnlyList<int> EncodeValid(ReadOnlySpan<char> text) =>
        _tokenizer.EncodeToIds(text, Options.AddBeginningOfSentence, addEndOfSentence: false);

    /// <inheritdoc/>
    public override void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, ModelFileName), _model);
        TokenizerDescriptor.Write(directory, TokenizerDescriptor.Create(Name, Options));
    }

    internal static SentencePieceLlmTokenizer Load(TokenizerDescriptor descriptor) =>
        FromFile(Path.Combine(descriptor.Directory, ModelFileName), descriptor.ReadOptions<SentencePieceTokenizerOptions>());

    internal static SentencePieceLlmTokenizer FromFile(string path, SentencePieceTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new FileNotFoundException($"There is no SentencePiece model at {path}.", path);
        if (file.Length > MaxModelBytes)
            throw new InvalidDataException($"{path} has {file.Length:N0} bytes; a SentencePiece model has at most {MaxModelBytes:N0}.");
        return new SentencePieceLlmTokenizer(File.ReadAllBytes(path), options, path);
    }
}

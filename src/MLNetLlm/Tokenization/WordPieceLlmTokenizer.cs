using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>BERT's WordPiece, through Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>.</summary>
internal sealed class WordPieceLlmTokenizer : LlmTokenizer
{
    public const string VocabularyFileName = "vocab.txt";

    private readonly BertTokenizer _tokenizer;
    private readonly string[] _lines;
    private readonly WordPieceTokenizerOptions _options;

    private WordPieceLlmTokenizer(string[] lines, WordPieceTokenizerOptions options, string source)
    {
        _lines = lines;
        _options = options;
        var ids = new Dictionary<string, int>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                throw new InvalidDataException($"Line {i + 1} of the vocabulary '{source}' is empty.");
            if (!ids.TryAdd(lines[i], i))
                throw new InvalidDataException($"Line {i + 1} of the vocabulary '{source}' repeats '{lines[i]}' of line {ids[lines[i]] + 1}.");
        }

        var specials = new Dictionary<string, int>();
        foreach (var token in (ReadOnlySpan<string>)[options.UnknownToken, options.ClassificationToken, options.SeparatorToken, options.PaddingToken, options.MaskingToken])
        {
            ArgumentException.ThrowIfNullOrEmpty(token, nameof(options));
            specials[token] = ids.TryGetValue(token, out int id)
                ? id
                : throw new InvalidDataException($"The vocabulary '{source}' lacks the special token '{token}'.");
        }
        SpecialTokens = specials;
        VocabularySize = lines.Length;
        EndOfTextId = specials[options.SeparatorToken];
        PaddingId = specials[options.PaddingToken];
        UnknownId = specials[options.UnknownToken];

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        _tokenizer = BertTokenizer.Create(stream, new BertOptions
        {
            LowerCaseBeforeTokenization = options.LowerCase,
            RemoveNonSpacingMarks = options.LowerCase,
            UnknownToken = options.UnknownToken,
            ClassificationToken = options.ClassificationToken,
            SeparatorToken = options.SeparatorToken,
            PaddingToken = options.PaddingToken,
            MaskingToken = options.MaskingToken,
            ContinuingSubwordPrefix = options.ContinuingSubwordPrefix,
        });
    }

    public override string Name => "wordpiece";
    public override int VocabularySize { get; }
    public override IReadOnlyDictionary<string, int> SpecialTokens { get; }
    public override int? EndOfTextId { get; }
    public override int? PaddingId { get; }
    public override int? UnknownId { get; }

    public static WordPieceLlmTokenizer FromFile(string path, WordPieceTokenizerOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The vocabulary file '{path}' does not exist.", path);
        return new WordPieceLlmTokenizer(File.ReadAllLines(path), options, path);
    }

    public static WordPieceLlmTokenizer Load(TokenizerDescriptor descriptor) =>
        FromFile(Path.Combine(descriptor.Directory, VocabularyFileName), descriptor.ReadOptions<WordPieceTokenizerOptions>());

    public override void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, VocabularyFileName), _lines);
        TokenizerDescriptor.Write(directory, TokenizerDescriptor.Create(Name, _options));
    }

    private protected override IReadOnlyList<int> EncodeCore(ReadOnlySpan<char> text) =>
        _tokenizer.EncodeToIds(text, _options.AddClassificationAndSeparator, considerPreTokenization: true, considerNormalization: true);

    private protected override string DecodeCore(IReadOnlyList<int> ids) => _tokenizer.Decode(ids);
}

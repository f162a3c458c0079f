using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Tokenization;

/// <summary>BERT's WordPiece, through Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>.</summary>
internal sealed class WordPieceLlmTokenizer : LlmTokenizer
{
    public const string VocabularyFileName = "vocab.txt";

    // BERT splits every character that is neither a word character nor a space into a piece of its own, symbols such as
    // $ + = < > | ~ included; BertTokenizer's default pre-tokenizer keeps only \p{P} punctuation and drops symbols.
    private static readonly System.Text.RegularExpressions.Regex BertPieces =
        new(@"\w+|[^\w\s]", System.Text.RegularExpressions.RegexOptions.Compiled);

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
            PreTokenizer = new RegexPreTokenizer(BertPieces, SpecialTokensAsSeen(specials, options.LowerCase)),
        });
    }

    // Lower-casing runs before pre-tokenization, so the pre-tokenizer must also know the lower-cased special tokens.
    private static Dictionary<string, int> SpecialTokensAsSeen(Dictionary<string, int> specials, bool lowerCase)
    {
        var seen = new Dictionary<string, int>(specials);
        if (lowerCase)
            foreach (var (token, id) in specials)
                seen.TryAdd(token.ToLowerInvariant(), id);
        return seen;
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

    public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => Encode(text, EncodeValid);

    public override string Decode(IEnumerable<int> ids) => Decode(ids, DecodeChecked);

    private IReadOnlyList<int> EncodeValid(ReadOnlySpan<char> text) =>
        _tokenizer.EncodeToIds(text, _options.AddClassificationAndSeparator, considerPreTokenization: true, considerNormalization: true);

    // The word pieces of the text's start, framed as the whole text is ([CLS] ... [SEP]) when the options frame.
    // Microsoft.ML.Tokenizers normalizes the whole text before it encodes, so a long text is first cut at a
    // whitespace far enough in (BERT splits words at whitespace, so the words before the cut encode as in the whole).
    private protected override IReadOnlyList<int>? EncodeLeading(ReadOnlySpan<char> text, int count)
    {
        for (long chars = Math.Max(1_024L, 8L * count); ; chars *= 4)
        {
            var part = chars >= text.Length ? text : text[..WordEnd(text, (int)chars)];
            var body = _tokenizer.EncodeToIds(part, count + LeadingSlack, addSpecialTokens: false, out string? normalized, out int consumed);
            bool all = part.Length == text.Length && consumed == (normalized?.Length ?? part.Length);
            if (body.Count >= count || all)
                return Frame(body);
            if (part.Length == text.Length)
                return null;
        }
    }

    private static readonly SearchValues<char> Spaces = SearchValues.Create(" \t\n\r");

    private static int WordEnd(ReadOnlySpan<char> text, int from)
    {
        int space = text[from..].IndexOfAny(Spaces);
        return space < 0 ? text.Length : from + space;
    }

    private IReadOnlyList<int> Frame(IReadOnlyList<int> body)
    {
        if (!_options.AddClassificationAndSeparator)
            return body;
        var framed = new List<int>(body.Count + 2) { _tokenizer.ClassificationTokenId };
        framed.AddRange(body);
        framed.Add(_tokenizer.SeparatorTokenId);
        return framed;
    }

    private string DecodeChecked(IReadOnlyList<int> ids) => _tokenizer.Decode(ids);
}

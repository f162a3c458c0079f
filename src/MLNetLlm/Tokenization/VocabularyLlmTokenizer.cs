using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MLNetLlm.Tokenization;

/// <summary>A tokenizer that maps the pieces a <see cref="TextSplitter"/> cuts to ids of a fixed vocabulary, built by <see cref="VocabularyBuilder"/>.</summary>
internal sealed class VocabularyLlmTokenizer : LlmTokenizer
{
    public const string PiecesFileName = "pieces.json";

    private readonly TextSplitter _splitter;
    private readonly VocabularyBuilderOptions _options;
    private readonly string[] _pieces;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly Dictionary<string, int> _specials;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _specialsBySpan;
    private readonly Regex _regex;

    /// <summary>The tokenizer over <paramref name="pieces"/>: every token in id order, special tokens included.</summary>
    public VocabularyLlmTokenizer(TextSplitter splitter, VocabularyBuilderOptions options, IReadOnlyList<string> pieces)
    {
        _splitter = splitter;
        _options = options;
        _pieces = [.. pieces];
        _ids = new Dictionary<string, int>(_pieces.Length, StringComparer.Ordinal);
        for (int i = 0; i < _pieces.Length; i++)
            if (string.IsNullOrEmpty(_pieces[i]) || !_ids.TryAdd(_pieces[i], i))
                throw new InvalidDataException($"Vocabulary piece {i} is empty or repeated.");
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

        var specialTokens = options.AllSpecialTokens();
        _specials = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in specialTokens)
            _specials[token] = _ids.TryGetValue(token, out int id) ? id : throw new InvalidDataException($"The vocabulary lacks the special token '{token}'.");
        _specialsBySpan = _specials.GetAlternateLookup<ReadOnlySpan<char>>();
        _regex = splitter.Compile(specialTokens);
        EndOfTextId = options.EndOfTextToken is null ? null : _specials[options.EndOfTextToken];
        PaddingId = options.PaddingToken is null ? null : _specials[options.PaddingToken];
        UnknownId = options.UnknownToken is null ? null : _specials[options.UnknownToken];
    }

    public override string Name => _splitter.Kind;
    public override int VocabularySize => _pieces.Length;
    public override IReadOnlyDictionary<string, int> SpecialTokens => _specials;
    public override int? EndOfTextId { get; }
    public override int? PaddingId { get; }
    public override int? UnknownId { get; }

    private protected override IReadOnlyList<int> EncodeCore(ReadOnlySpan<char> text)
    {
        var ids = new List<int>();
        Span<char> lowered = stackalloc char[128];
        foreach (var match in _regex.EnumerateMatches(text))
        {
            if (match.Length == 0)
                continue;
            scoped ReadOnlySpan<char> piece = text.Slice(match.Index, match.Length);
            if (_options.LowerCase && !_specialsBySpan.ContainsKey(piece))
            {
                Span<char> buffer = piece.Length <= lowered.Length ? lowered : new char[piece.Length];
                piece = buffer[..piece.ToLowerInvariant(buffer)];
            }
            if (_idsBySpan.TryGetValue(piece, out int id))
                ids.Add(id);
            else if (UnknownId is int unknown)
                ids.Add(unknown);
        }
        return ids;
    }

    private protected override string DecodeCore(IReadOnlyList<int> ids)
    {
        var text = new StringBuilder();
        for (int i = 0; i < ids.Count; i++)
        {
            if (i > 0)
                text.Append(_splitter.Separator);
            text.Append(_pieces[ids[i]]);
        }
        return text.ToString();
    }

    public override void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, PiecesFileName), JsonSerializer.Serialize(_pieces, TokenizerDescriptor.Json));
        TokenizerDescriptor.Write(directory, TokenizerDescriptor.Create(Name, new SavedOptions(_splitter.Pattern, _splitter.Separator, _options)));
    }

    public static VocabularyLlmTokenizer Load(TokenizerDescriptor descriptor)
    {
        var saved = descriptor.ReadOptions<SavedOptions>();
        var path = Path.Combine(descriptor.Directory, PiecesFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The vocabulary file '{path}' does not exist.", path);
        string[]? pieces;
        try
        {
            pieces = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The vocabulary file '{path}' is not a JSON array of strings: {e.Message}", e);
        }
        if (pieces is null || pieces.Length == 0)
            throw new InvalidDataException($"The vocabulary file '{path}' is empty.");
        if (saved.Options is null || saved.Pattern is null || saved.Separator is null)
            throw new InvalidDataException($"{Path.Combine(descriptor.Directory, TokenizerDescriptor.FileName)} lacks the pattern, separator or options of a '{descriptor.Kind}' tokenizer.");
        return new VocabularyLlmTokenizer(new TextSplitter(descriptor.Kind, saved.Pattern, saved.Separator), saved.Options, pieces);
    }

    private sealed record SavedOptions(string? Pattern, string? Separator, VocabularyBuilderOptions? Options);
}

using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>Every kind of tokenizer meets the same edge cases: null, empty, invalid UTF-16, special tokens only, bad saved folders.</summary>
public class BadInputTests
{
    public static TheoryData<string> Kinds => ["gpt2", "cl100k_base", "o200k_base", "trained-bpe", "wordpiece", "whitespace", "regex", "characters"];

    private static readonly Lazy<string> WordPieceVocabulary = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mlnetllm-wp-").FullName, "vocab.txt");
        File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "\uFFFD"]);
        return path;
    });

    internal static LlmTokenizer Create(string kind)
    {
        var texts = new[] { "a b ab a\uFFFDb", "abc" };
        return kind switch
        {
            "trained-bpe" => BpeTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = 270 }),
            "wordpiece" => LlmTokenizers.WordPiece(WordPieceVocabulary.Value, new WordPieceTokenizerOptions { AddClassificationAndSeparator = false }),
            "whitespace" => LlmTokenizers.Whitespace().Build(texts),
            "regex" => LlmTokenizers.Regex(@"\S").Build(texts),
            "characters" => LlmTokenizers.Characters().Build(texts),
            _ => LlmTokenizers.FromName(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Null_and_empty_text_encode_to_no_ids(string kind)
    {
        var tokenizer = Create(kind);
        Assert.Empty(tokenizer.EncodeToIds((string?)null));
        Assert.Empty(tokenizer.EncodeToIds(""));
        Assert.Empty(tokenizer.EncodeToIds(ReadOnlySpan<char>.Empty));
        Assert.Equal("", tokenizer.Decode([]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Lone_surrogates_encode_as_the_replacement_character(string kind)
    {
        var tokenizer = Create(kind);
        Assert.Equal(tokenizer.EncodeToIds("a\uFFFDb"), tokenizer.EncodeToIds("a\uD800b"));
        Assert.Equal(tokenizer.EncodeToIds("a\uFFFDb"), tokenizer.EncodeToIds("a\uDC00b"));
        Assert.Equal(tokenizer.EncodeToIds("\uFFFD\uFFFD"), tokenizer.EncodeToIds("\uDC00\uD800"));
        Assert.Equal(tokenizer.EncodeToIds("ab\uFFFD"), tokenizer.EncodeToIds("ab\uD83D"));
        Assert.All(tokenizer.EncodeToIds("\uD800"), id => Assert.InRange(id, 0, tokenizer.VocabularySize - 1));
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("cl100k_base")]
    [InlineData("trained-bpe")]
    [InlineData("characters")]
    public void Lossless_tokenizers_decode_a_lone_surrogate_as_the_replacement_character(string kind)
    {
        var tokenizer = Create(kind);
        Assert.Equal("a\uFFFDb", tokenizer.Decode(tokenizer.EncodeToIds("a\uD800b")));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Text_of_special_tokens_only_encodes_to_their_ids(string kind)
    {
        var tokenizer = Create(kind);
        var (text, id) = tokenizer.EndOfTextId is int eot
            ? (tokenizer.SpecialTokens.Single(kv => kv.Value == eot).Key, eot)
            : throw new InvalidOperationException($"{kind} has no end-of-text token.");
        Assert.Equal([id, id, id], tokenizer.EncodeToIds(text + text + text));
    }

    [Fact]
    public void Loading_fails_clearly_for_a_missing_folder_file_or_unknown_kind()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var missing = Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.File("nothing-here")));
        Assert.Contains("tokenizer.json", missing.Message);

        File.WriteAllText(folder.File("tokenizer.json"), """{ "Kind": "sentencepiece" }""");
        var unknown = Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
        Assert.Contains("sentencepiece", unknown.Message);

        File.WriteAllText(folder.File("tokenizer.json"), "{ not json");
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));

        File.WriteAllText(folder.File("tokenizer.json"), """{ "Kind": "bpe" }""");
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
    }
}

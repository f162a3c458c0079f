using System.Text.Json;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>
/// SentencePiece models trained on Brown (tests/TestData/sentencepiece, made by its make_fixtures.py) against the ids
/// python's sentencepiece recorded for 250 held-out Brown sentences and hard cases.
/// </summary>
public class SentencePieceTokenizerTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "sentencepiece");

    public static TheoryData<string> Models => ["brown-bpe", "brown-unigram"];

    private static SentencePieceLlmTokenizer Load(string model, SentencePieceTokenizerOptions? options = null) =>
        LlmTokenizers.SentencePiece(Path.Combine(Folder, model + ".model"), options);

    private static IReadOnlyList<(string Text, int[] Ids, string Decoded)> Recorded(string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "ids.json")));
        return [.. json.RootElement.GetProperty(model).EnumerateArray().Select(e => (
            e.GetProperty("text").GetString()!,
            e.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            e.TryGetProperty("decoded", out var d) ? d.GetString()! : e.GetProperty("text").GetString()!))];
    }

    // Where two splits score the same (a run of one repeated character), Microsoft.ML.Tokenizers may take the other
    // one: the same text in other pieces. Unigram also writes one unknown id a character where python writes one a run.
    private static readonly Dictionary<string, string[]> KnownDifferences = new()
    {
        ["brown-bpe"] = ["ALL CAPS SHOUTING!!!"],
        ["brown-unigram"] = ["emoji 🙂 and 漢字 and Ελληνικά", "mmmm hmm", "mixed\r\nline\rends"],
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Ids_match_python_sentencepiece(string model)
    {
        var tokenizer = Load(model);
        var recorded = Recorded(model);
        Assert.True(recorded.Count > 250);

        var differing = recorded.Where(r => !r.Ids.SequenceEqual(tokenizer.EncodeToIds(r.Text))).ToList();

        Assert.Equal(KnownDifferences[model], differing.Select(r => r.Text));
        foreach (var (text, ids, _) in differing)
        {
            var ours = tokenizer.EncodeToIds(text);
            if (ids.Contains(0))
                Assert.Equal(ids, ours.Where((id, i) => id != 0 || i == 0 || ours[i - 1] != 0));
            else
                Assert.Equal(tokenizer.Decode(ids), tokenizer.Decode(ours));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Decoding_matches_python_sentencepiece(string model)
    {
        var tokenizer = Load(model);

        foreach (var (text, ids, decoded) in Recorded(model))
        {
            // python writes an unknown piece as " ⁇ ", MLNetLlm as the token's text, as for every special token.
            if (ids.Contains(0))
                Assert.Contains("<unk>", tokenizer.Decode(ids));
            else
                Assert.Equal(decoded, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Special_tokens_and_sizes_come_from_the_model()
    {
        var tokenizer = Load("brown-bpe");

        Assert.Equal("sentencepiece", tokenizer.Name);
        Assert.Equal(2000, tokenizer.VocabularySize);
        Assert.Equal(0, tokenizer.UnknownId);
        Assert.Equal(1, tokenizer.BeginningOfTextId);
        Assert.Equal(2, tokenizer.EndOfTextId);
        Assert.Null(tokenizer.PaddingId);
        Assert.Equal(new Dictionary<string, int> { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 }, tokenizer.SpecialTokens);
    }

    [Fact]
    public void Special_tokens_written_in_the_text_encode_to_their_ids()
    {
        var tokenizer = Load("brown-bpe");
        var plain = tokenizer.EncodeToIds("The jury said");

        var framed = tokenizer.EncodeToIds("<s>The jury said</s>");

        Assert.Equal([1, .. tokenizer.EncodeToIds("The jury said"), 2], framed);
        Assert.Equal("<s>The jury said</s>", tokenizer.Decode(framed));
        Assert.NotEqual(plain, framed);
    }

    [Fact]
    public void The_beginning_id_is_added_only_when_asked()
    {
        var plain = Load("brown-bpe");
        var framing = Load("brown-bpe", new SentencePieceTokenizerOptions { AddBeginningOfSentence = true });

        Assert.Equal([1, .. plain.EncodeToIds("The jury said")], framing.EncodeToIds("The jury said"));
    }

    [Fact]
    public void Added_tokens_extend_the_vocabulary_and_name_the_end_and_padding()
    {
        var tokenizer = Load("brown-bpe", new SentencePieceTokenizerOptions
        {
            AddedTokens = new Dictionary<string, int> { ["<|im_start|>"] = 2000, ["<|im_end|>"] = 2001, ["<pad>"] = 2002 },
            EndOfTextToken = "<|im_end|>",
            PaddingToken = "<pad>",
        });

        Assert.Equal(2003, tokenizer.VocabularySize);
        Assert.Equal(2001, tokenizer.EndOfTextId);
        Assert.Equal(2002, tokenizer.PaddingId);
        var ids = tokenizer.EncodeToIds("<|im_start|>user\nHello<|im_end|>");
        Assert.Equal(2000, ids[0]);
        Assert.Equal(2001, ids[^1]);
        Assert.Equal("<|im_start|>user\nHello<|im_end|>", tokenizer.Decode([.. ids, 2002]));
    }

    [Fact]
    public void A_saved_tokenizer_loads_with_the_same_ids()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = Load("brown-unigram", new SentencePieceTokenizerOptions { AddedTokens = new Dictionary<string, int> { ["<|eot|>"] = 2000 }, EndOfTextToken = "<|eot|>" });

        tokenizer.Save(folder.Path);
        var loaded = Assert.IsType<SentencePieceLlmTokenizer>(LlmTokenizers.Load(folder.Path));

        const string text = "The Fulton County Grand Jury said Friday 1961.<|eot|>";
        Assert.Equal(tokenizer.EncodeToIds(text), loaded.EncodeToIds(text));
        Assert.Equal(2000, loaded.EndOfTextId);
        Assert.Equal(2001, loaded.VocabularySize);
    }

    [Fact]
    public void Lone_surrogates_and_empty_text_follow_the_shared_rules()
    {
        var tokenizer = Load("brown-bpe");

        Assert.Empty(tokenizer.EncodeToIds(""));
        Assert.Equal(tokenizer.EncodeToIds("a\uFFFDb"), tokenizer.EncodeToIds("a\uD800b"));
        Assert.Equal("a\uFFFDb", tokenizer.Decode(tokenizer.EncodeToIds("a\uD800b")));
    }

    [Fact]
    public void Bad_files_and_options_are_named()
    {
        using var folder = new TemporaryFolder();
        var junk = Path.Combine(folder.Path, "tokenizer.model");
        File.WriteAllText(junk, "this is not a protobuf");

        Assert.Throws<FileNotFoundException>(() => LlmTokenizers.SentencePiece(Path.Combine(folder.Path, "missing.model")));
        Assert.Contains(junk, Assert.Throws<InvalidDataException>(() => LlmTokenizers.SentencePiece(junk)).Message);
        var clash = Assert.Throws<InvalidDataException>(() => Load("brown-bpe", new SentencePieceTokenizerOptions { AddedTokens = new Dictionary<string, int> { ["<s>"] = 7 } }));
        Assert.Contains("'<s>'", clash.Message);
        var end = Assert.Throws<InvalidDataException>(() => Load("brown-bpe", new SentencePieceTokenizerOptions { EndOfTextToken = "<|nope|>" }));
        Assert.Contains("<|nope|>", end.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Load("brown-bpe").Decode([2000]));
    }
}

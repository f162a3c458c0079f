using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class VocabularyTokenizerTests
{
    [Fact]
    public void Whitespace_ids_follow_special_tokens_then_frequency()
    {
        var words = LlmTokenizers.Whitespace().Build(["the cat, the dog.", "The cat!"]);
        // <pad>=0 <unk>=1 <|endoftext|>=2, then cat=3 the=4 (twice), !=5 ,=6 .=7 The=8 dog=9 (once; ordinal order).
        Assert.Equal(10, words.VocabularySize);
        Assert.Equal(0, words.PaddingId);
        Assert.Equal(1, words.UnknownId);
        Assert.Equal(2, words.EndOfTextId);
        Assert.Equal([4, 3, 6, 4, 9, 7], words.EncodeToIds("the cat, the dog."));
        Assert.Equal("the cat , the dog .", words.Decode(words.EncodeToIds("the cat, the dog.")));
    }

    [Fact]
    public void Unseen_pieces_encode_to_the_unknown_id_or_are_dropped()
    {
        var withUnknown = LlmTokenizers.Whitespace().Build(["a b"]);
        Assert.Equal([withUnknown.UnknownId!.Value, 3], withUnknown.EncodeToIds("zebra a"));

        var withoutUnknown = LlmTokenizers.Whitespace(new VocabularyBuilderOptions { UnknownToken = null }).Build(["a b"]);
        Assert.Null(withoutUnknown.UnknownId);
        Assert.Equal([2], withoutUnknown.EncodeToIds("zebra a"));
    }

    [Fact]
    public void Min_frequency_max_size_and_lower_casing_shape_the_vocabulary()
    {
        var options = new VocabularyBuilderOptions { MinFrequency = 2, MaxVocabularySize = 5, LowerCase = true };
        var words = LlmTokenizers.Whitespace(options).Build(["A a a b B c", "d d"]);
        // a(3) b(2) d(2): only a and b fit in 5 ids after 3 special tokens.
        Assert.Equal(5, words.VocabularySize);
        Assert.Equal([3, 4, 1, 1], words.EncodeToIds("A b C d"));
    }

    [Fact]
    public void Characters_round_trip_text_including_surrogate_pairs()
    {
        const string text = "héllo wörld 🙂\n漢字";
        var characters = LlmTokenizers.Characters().Build([text]);
        var ids = characters.EncodeToIds(text);
        Assert.Equal(text.EnumerateRunes().Count(), ids.Count);
        Assert.Equal(text, characters.Decode(ids));
    }

    [Fact]
    public void Regex_pieces_are_the_matches()
    {
        var digits = LlmTokenizers.Regex(@"\d+|[a-z]+", separator: "-").Build(["abc 123 def 123"]);
        // 123=3 (twice), abc=4, def=5; "ABC" and "," match nothing and are dropped.
        Assert.Equal([3, 4], digits.EncodeToIds("  123, ABC abc"));
        Assert.Equal("123-abc", digits.Decode([3, 4]));
    }

    [Fact]
    public void Bad_patterns_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => LlmTokenizers.Regex("(unclosed"));
        Assert.ThrowsAny<ArgumentException>(() => LlmTokenizers.Regex("a*"));
        Assert.ThrowsAny<ArgumentException>(() => LlmTokenizers.Regex(""));
    }

    [Fact]
    public void Configured_special_tokens_are_matched_in_text_and_never_counted()
    {
        var options = new VocabularyBuilderOptions { SpecialTokens = ["[CLS]", "[SEP]"], PaddingToken = "[PAD]" };
        var words = LlmTokenizers.Whitespace(options).Build(["[CLS] hello [SEP]", "hello"]);
        Assert.Equal(["[PAD]", "<unk>", "<|endoftext|>", "[CLS]", "[SEP]"], words.SpecialTokens.OrderBy(kv => kv.Value).Select(kv => kv.Key));
        Assert.Equal(6, words.VocabularySize);
        Assert.Equal([3, 5, 4], words.EncodeToIds("[CLS]hello[SEP]"));
    }

    [Fact]
    public void A_fixed_vocabulary_keeps_the_given_order()
    {
        var words = LlmTokenizers.Whitespace(new VocabularyBuilderOptions { EndOfTextToken = null }).FromPieces(["zebra", "apple", "zebra"]);
        Assert.Equal(4, words.VocabularySize);
        Assert.Equal([2, 3], words.EncodeToIds("zebra apple"));
    }

    [Theory]
    [InlineData("whitespace")]
    [InlineData("regex")]
    [InlineData("characters")]
    public void Saved_tokenizers_reload_with_the_same_ids(string kind)
    {
        using var folder = new TokenizerTestData.TempFolder();
        var options = new VocabularyBuilderOptions { LowerCase = true, SpecialTokens = ["[SEP]"] };
        var builder = kind switch
        {
            "whitespace" => LlmTokenizers.Whitespace(options),
            "regex" => LlmTokenizers.Regex(@"\p{L}+", "_", options),
            _ => LlmTokenizers.Characters(options),
        };
        var texts = TokenizerTestData.LicenseParagraphs.Take(30).ToList();
        var tokenizer = builder.Build(texts);
        tokenizer.Save(folder.Path);
        var loaded = LlmTokenizers.Load(folder.Path);
        Assert.Equal(kind, loaded.Name);
        Assert.Equal(tokenizer.VocabularySize, loaded.VocabularySize);
        foreach (var text in texts.Take(5).Append("Unseen Zyxw [SEP] text"))
        {
            Assert.Equal(tokenizer.EncodeToIds(text), loaded.EncodeToIds(text));
            Assert.Equal(tokenizer.Decode(tokenizer.EncodeToIds(text)), loaded.Decode(loaded.EncodeToIds(text)));
        }
    }

    [Fact]
    public void A_corrupt_pieces_file_fails_to_load()
    {
        using var folder = new TokenizerTestData.TempFolder();
        LlmTokenizers.Characters().Build(["abc"]).Save(folder.Path);
        File.WriteAllText(folder.File("pieces.json"), "[\"a\", \"a\"]");
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
        File.WriteAllText(folder.File("pieces.json"), "{not json");
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
        File.Delete(folder.File("pieces.json"));
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
    }
}

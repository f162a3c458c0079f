using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class TiktokenTokenizerTests
{
    [Fact]
    public void Gpt2_encodes_the_published_ids()
    {
        var gpt2 = LlmTokenizers.Gpt2();
        Assert.Equal([15496, 11, 995, 0], gpt2.EncodeToIds("Hello, world!"));
        Assert.Equal(50257, gpt2.VocabularySize);
        Assert.Equal(50256, gpt2.EndOfTextId);
        Assert.Null(gpt2.PaddingId);
        Assert.Equal("Hello, world!", gpt2.Decode([15496, 11, 995, 0]));
    }

    [Fact]
    public void Gpt2_and_r50k_give_the_same_ids()
    {
        const string text = "The quick brown fox jumps over the lazy dog. 1234 naïve café";
        Assert.Equal(LlmTokenizers.Gpt2().EncodeToIds(text), LlmTokenizers.R50kBase().EncodeToIds(text));
    }

    [Fact]
    public void Cl100k_and_o200k_encode_their_published_ids()
    {
        var cl100k = LlmTokenizers.Cl100kBase();
        Assert.Equal([9906, 11, 1917, 0], cl100k.EncodeToIds("Hello, world!"));
        Assert.Equal(100257, cl100k.EndOfTextId);
        Assert.Equal(100277, cl100k.VocabularySize);

        var o200k = LlmTokenizers.O200kBase();
        Assert.Equal([13225, 11, 2375, 0], o200k.EncodeToIds("Hello, world!"));
        Assert.Equal(199999, o200k.EndOfTextId);
        Assert.Equal(200019, o200k.VocabularySize);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("GPT2")]
    [InlineData("r50k_base")]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void FromName_finds_each_encoding(string name)
    {
        var tokenizer = LlmTokenizers.FromName(name);
        Assert.Equal(name.ToLowerInvariant(), tokenizer.Name);
        Assert.Equal("Hello, world!", tokenizer.Decode(tokenizer.EncodeToIds("Hello, world!")));
    }

    [Fact]
    public void FromName_rejects_an_unknown_name_and_lists_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => LlmTokenizers.FromName("gpt5"));
        Assert.Contains("gpt5", error.Message);
        foreach (var name in LlmTokenizers.Names)
            Assert.Contains(name, error.Message);
        Assert.Throws<ArgumentNullException>(() => LlmTokenizers.FromName(null!));
    }

    [Fact]
    public void Extra_special_tokens_and_padding_get_the_next_free_ids()
    {
        var gpt2 = LlmTokenizers.FromName("gpt2", new TiktokenOptions { ExtraSpecialTokens = ["<|im_start|>", "<|im_end|>"], PaddingToken = "<|pad|>" });
        Assert.Equal(50257, gpt2.SpecialTokens["<|im_start|>"]);
        Assert.Equal(50258, gpt2.SpecialTokens["<|im_end|>"]);
        Assert.Equal(50259, gpt2.PaddingId);
        Assert.Equal(50260, gpt2.VocabularySize);
        Assert.Equal([50257, 15496, 50258], gpt2.EncodeToIds("<|im_start|>Hello<|im_end|>"));
        Assert.Equal("<|im_start|>Hello<|im_end|>", gpt2.Decode([50257, 15496, 50259, 50258]));
    }

    [Fact]
    public void End_of_text_written_in_text_encodes_to_its_id()
    {
        var gpt2 = LlmTokenizers.Gpt2();
        Assert.Equal([50256], gpt2.EncodeToIds("<|endoftext|>"));
        Assert.Equal([50256, 50256], gpt2.EncodeToIds("<|endoftext|><|endoftext|>"));
        Assert.Equal("<|endoftext|>", gpt2.Decode([50256]));
    }

    [Fact]
    public void Saved_encodings_reload_with_their_special_tokens()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var options = new TiktokenOptions { ExtraSpecialTokens = ["<|sep|>"] };
        LlmTokenizers.Cl100kBase(options).Save(folder.Path);
        var loaded = LlmTokenizers.Load(folder.Path);
        Assert.Equal("cl100k_base", loaded.Name);
        Assert.Equal(100277, loaded.SpecialTokens["<|sep|>"]);
        Assert.Equal([9906, 100277], loaded.EncodeToIds("Hello<|sep|>"));
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        var gpt2 = LlmTokenizers.Gpt2();
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt2.Decode([50257]));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt2.Decode([-1]));
        Assert.Throws<ArgumentNullException>(() => gpt2.Decode(null!));
    }
}

using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class StreamingTextDecoderTests
{
    private static readonly LlmTokenizer Tokenizer = LlmTokenizers.Gpt2();

    [Theory]
    [InlineData("日本語のテキスト 🎉🚀 done")]
    [InlineData("emoji at the end 🤖")]
    public void Pieces_never_split_a_character_and_concatenate_to_the_text(string text)
    {
        var ids = Tokenizer.EncodeToIds(text);
        Assert.Contains(ids, id => Tokenizer.Decode([id]).Contains('\uFFFD')); // the text really has split characters
        var decoder = new StreamingTextDecoder(Tokenizer);
        var pieces = ids.Select(decoder.Add).Append(decoder.Flush()).ToList();
        Assert.DoesNotContain(pieces, piece => piece.Contains('\uFFFD'));
        Assert.Equal(text, string.Concat(pieces));
    }

    [Fact]
    public void An_unfinished_character_is_flushed_as_the_replacement_character()
    {
        var ids = Tokenizer.EncodeToIds("🎉");
        var decoder = new StreamingTextDecoder(Tokenizer);
        Assert.All(ids.Take(ids.Count - 1), id => Assert.Equal("", decoder.Add(id)));
        Assert.Contains('\uFFFD', decoder.Flush());
        Assert.Equal("", decoder.Flush()); // nothing is held back twice
    }

    [Theory]
    [InlineData("The jury said Friday 1961, \"no evidence\" 🙂 déjà vu.")]
    [InlineData("  spaced   out  words ")]
    public void Sentencepiece_pieces_keep_the_spaces_a_token_loses_when_decoded_alone(string text)
    {
        var tokenizer = LlmTokenizers.SentencePiece(Path.Combine(AppContext.BaseDirectory, "TestData", "sentencepiece", "brown-bpe.model"));
        var ids = tokenizer.EncodeToIds(text);
        var decoder = new StreamingTextDecoder(tokenizer);

        var pieces = ids.Select(decoder.Add).Append(decoder.Flush()).ToList();

        Assert.Equal(tokenizer.Decode(ids), string.Concat(pieces));
        Assert.DoesNotContain(pieces, piece => piece.Contains('\uFFFD'));
    }
}

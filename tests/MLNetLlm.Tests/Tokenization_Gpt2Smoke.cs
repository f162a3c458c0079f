using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests;

public class Gpt2SmokeTests
{
    [Fact]
    public void Gpt2_encodes_the_published_ids()
    {
        var gpt2 = LlmTokenizers.Gpt2();
        Assert.Equal([15496, 11, 995, 0], gpt2.EncodeToIds("Hello, world!"));
        Assert.Equal(50257, gpt2.VocabularySize);
        Assert.Equal(50256, gpt2.EndOfTextId);
        Assert.Equal("Hello, world!", gpt2.Decode([15496, 11, 995, 0]));
    }
}

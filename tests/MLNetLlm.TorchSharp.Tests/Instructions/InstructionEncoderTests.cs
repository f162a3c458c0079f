using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using Xunit;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

public sealed class InstructionEncoderTests
{
    private static readonly MLNetLlm.Tokenization.LlmTokenizer Tokenizer = TinyGpt.Tokenizer;

    private static InstructionEncoder Encoder(int maxLength, TooLongExamples tooLong = TooLongExamples.TruncatePrompt) =>
        new(TinyInstructions.Template, Tokenizer, maxLength, tooLong);

    [Fact]
    public void AnExampleIsTheGenerationPromptThenTheResponseThenOneEndOfText()
    {
        var encoder = Encoder(64);
        var example = encoder.Encode("Pair the word.", "jury", "court")!;
        var prompt = Tokenizer.EncodeToIds(TinyInstructions.Template.GenerationPrompt("Pair the word.", "jury"));
        Assert.Equal(prompt, example.Ids.Take(example.PromptTokens));
        Assert.Equal(Tokenizer.EncodeToIds("court"), example.Ids.Skip(example.PromptTokens).SkipLast(1));
        Assert.Equal(Tokenizer.EndOfTextId, example.Ids[^1]);
        Assert.Equal(prompt, encoder.PromptIds("Pair the word.", "jury"));
    }

    [Fact]
    public void ATooLongExampleLosesPromptTokensFromTheStartAndIsCounted()
    {
        var whole = Encoder(64).Encode("Pair the word.", "jury", "court")!;
        var encoder = Encoder(whole.Ids.Length - 4); // inputs hold length - 1 ids: 3 too many
        var cut = encoder.Encode("Pair the word.", "jury", "court")!;
        Assert.Equal(whole.Ids.Skip(3), cut.Ids);
        Assert.Equal(whole.PromptTokens - 3, cut.PromptTokens);
        Assert.Equal((1, 0), (encoder.Truncated, encoder.Skipped));
    }

    [Fact]
    public void WithSkipATooLongExampleIsLeftOutAndCounted()
    {
        var whole = Encoder(64).Encode("Pair the word.", "jury", "court")!;
        var encoder = Encoder(whole.Ids.Length - 2, TooLongExamples.Skip);
        Assert.Null(encoder.Encode("Pair the word.", "jury", "court"));
        Assert.NotNull(encoder.Encode("Pair.", "", "court"));
        Assert.Equal((0, 1), (encoder.Truncated, encoder.Skipped));
    }

    [Fact]
    public void AResponseThatDoesNotFitAloneIsSkippedEvenWhenTruncating()
    {
        var encoder = Encoder(3);
        Assert.Null(encoder.Encode("Pair the word.", "jury", "the county said the jury found the new law"));
        Assert.Equal((0, 1), (encoder.Truncated, encoder.Skipped));
    }
}

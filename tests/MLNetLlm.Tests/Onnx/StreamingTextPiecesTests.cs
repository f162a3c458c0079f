using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Onnx;

public class StreamingTextPiecesTests
{
    [Fact]
    public void Pieces_NeverSplitACharacter_AndConcatenateToTheWholeText()
    {
        var tokenizer = LlmTokenizers.Gpt2();
        const string text = "Caf\u00e9 \U0001F600 \u4E2D\u6587 done";
        var ids = tokenizer.EncodeToIds(text);
        var pieces = new StreamingTextPieces(tokenizer);
        var emitted = ids.Select(pieces.Add).Append(pieces.Flush()).ToList();

        Assert.Equal(text, string.Concat(emitted));
        Assert.All(emitted, piece => Assert.DoesNotContain('\uFFFD', piece));
        Assert.Contains("", emitted); // the emoji spans several byte tokens: some added nothing
    }

    [Fact]
    public void Flush_GivesWhatIsHeldBack()
    {
        var tokenizer = LlmTokenizers.Gpt2();
        var ids = tokenizer.EncodeToIds("\U0001F600");
        var pieces = new StreamingTextPieces(tokenizer);
        Assert.Equal("", pieces.Add(ids[0]));
        Assert.Equal(tokenizer.Decode([ids[0]]), pieces.Flush());
        Assert.Equal("", pieces.Flush());
    }
}

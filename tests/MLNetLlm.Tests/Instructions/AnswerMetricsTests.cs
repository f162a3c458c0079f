using MLNetLlm.Instructions;
using Xunit;

namespace MLNetLlm.Tests.Instructions;

public sealed class AnswerMetricsTests
{
    [Fact]
    public void ExactMatchIgnoresCaseAndPunctuationButNotWords()
    {
        Assert.Equal(1, AnswerMetrics.ExactMatch("Glad.", "glad"));
        Assert.Equal(0, AnswerMetrics.ExactMatch("glad man", "glad"));
    }

    [Fact]
    public void TokenF1CountsEachSharedWordAsOftenAsBothHaveIt()
    {
        // candidate: the the cat (3), reference: the cat sat (3); shared: the, cat = 2 → P = R = 2/3.
        Assert.Equal(2.0 / 3, AnswerMetrics.TokenF1("the the cat", "the cat sat"), 12);
        Assert.Equal(0, AnswerMetrics.TokenF1("dog", "the cat"));
    }

    [Fact]
    public void RougeLIsTheF1OfTheLongestCommonSubsequence()
    {
        // LCS of "police killed the gunman" and "the gunman killed police" has 2 words ("the gunman" or "police ...").
        Assert.Equal(0.5, AnswerMetrics.RougeL("police killed the gunman", "the gunman killed police"), 12);
        // candidate 3 words, reference 5 words, LCS "a large dog" = 3 → P 1, R 0.6, F1 0.75.
        Assert.Equal(0.75, AnswerMetrics.RougeL("a large dog", "a very large black dog"), 12);
        Assert.Equal(1, AnswerMetrics.RougeL("Same words!", "same words"));
    }

    [Fact]
    public void EmptyTextsMatchOnlyEachOther()
    {
        Assert.Equal(1, AnswerMetrics.RougeL("", "..."));
        Assert.Equal(0, AnswerMetrics.RougeL("", "word"));
        Assert.Equal(0, AnswerMetrics.TokenF1("word", ""));
    }
}

using MLNetLlm.TorchSharp.EmbeddingTraining;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

public class LabelPairsTests
{
    private static readonly int[] Texts = [10, 11, 12, 13, 14, 15, 16];
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 2, 0];

    [Fact]
    public void EachRound_GivesEachExampleOnePositiveOfItsClassAndOneNegativeOfAnother()
    {
        var pairs = LabelPairs.Generate(Texts, Labels, iterations: 3, triples: false, seed: 1);

        Assert.Equal(3 * Texts.Length * 2, pairs.Count);
        int LabelOf(int text) => Labels[Array.IndexOf(Texts, text)];
        for (int k = 0; k < pairs.Count; k += 2)
        {
            var (positive, negative) = (pairs[k], pairs[k + 1]);
            int example = (k / 2) % Texts.Length;
            Assert.Equal(Texts[example], positive.Anchor);
            Assert.Equal(Texts[example], negative.Anchor);
            Assert.Equal((1f, 0f), (positive.Target, negative.Target));
            Assert.Equal(Labels[example], LabelOf(positive.Positive));
            Assert.NotEqual(Labels[example], LabelOf(negative.Positive));
            bool alone = Labels.Count(l => l == Labels[example]) == 1;
            Assert.Equal(alone, positive.Positive == positive.Anchor); // itself only when it is its class's only example
        }
    }

    [Fact]
    public void Triples_CarryTheNegativeAsAHardNegative()
    {
        var triples = LabelPairs.Generate(Texts, Labels, iterations: 2, triples: true, seed: 1);

        Assert.Equal(2 * Texts.Length, triples.Count);
        Assert.All(triples, t => Assert.NotEqual(Labels[Array.IndexOf(Texts, t.Anchor)], Labels[Array.IndexOf(Texts, t.Negative)]));
    }

    [Fact]
    public void TheSameSeed_GivesTheSamePairs_AnotherSeedOthers()
    {
        Assert.Equal(LabelPairs.Generate(Texts, Labels, 4, false, seed: 5), LabelPairs.Generate(Texts, Labels, 4, false, seed: 5));
        Assert.NotEqual(LabelPairs.Generate(Texts, Labels, 4, false, seed: 5), LabelPairs.Generate(Texts, Labels, 4, false, seed: 6));
    }
}

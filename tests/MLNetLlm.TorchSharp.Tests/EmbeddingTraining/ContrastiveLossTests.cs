using MLNetLlm.TorchSharp.EmbeddingTraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

public class ContrastiveLossTests
{
    private static readonly float[,] Anchors = { { 1, 0 }, { 1, 1 } };
    private static readonly float[,] Positives = { { 2, 0 }, { 0, 3 } };
    private static readonly float[,] Negatives = { { -1, 1 }, { 1, -2 } };

    [Fact]
    public void MultipleNegativesRanking_IsCrossEntropyOfScaledCosinesAgainstTheDiagonal_ByHand()
    {
        using var scope = NewDisposeScope();
        double loss = ContrastiveLosses.MultipleNegativesRanking(tensor(Anchors), tensor(Positives), scale: 20).item<float>();

        double r = 1 / Math.Sqrt(2);
        // anchor 0 = (1, 0): cosines to (2, 0) and (0, 3) are 1 and 0; anchor 1 = (1, 1)/√2: r and r.
        double row0 = -(20 * 1.0) + Math.Log(Math.Exp(20 * 1.0) + Math.Exp(0));
        double row1 = -(20 * r) + Math.Log(Math.Exp(20 * r) + Math.Exp(20 * r));
        Assert.Equal((row0 + row1) / 2, loss, 5);
    }

    [Fact]
    public void MultipleNegativesRanking_RanksEachAnchorAgainstEveryHardNegativeToo_ByHand()
    {
        using var scope = NewDisposeScope();
        var candidates = cat([tensor(Positives), tensor(Negatives)], 0);
        double loss = ContrastiveLosses.MultipleNegativesRanking(tensor(Anchors), candidates, scale: 20).item<float>();

        double r = 1 / Math.Sqrt(2), s5 = Math.Sqrt(5);
        // anchor 0 = (1, 0) against (2,0), (0,3), (-1,1), (1,-2): cosines 1, 0, -r, 1/√5.
        double[] cos0 = [1, 0, -r, 1 / s5];
        // anchor 1 = (1, 1)/√2: r, r, 0, (1 - 2)/(√2·√5).
        double[] cos1 = [r, r, 0, -1 / (Math.Sqrt(2) * s5)];
        double Row(double[] cos, int right) => -(20 * cos[right]) + Math.Log(cos.Sum(c => Math.Exp(20 * c)));
        Assert.Equal((Row(cos0, 0) + Row(cos1, 1)) / 2, loss, 5);
    }

    [Fact]
    public void CosineSimilarity_IsMeanSquaredErrorOfCosineAndTarget_ByHand()
    {
        using var scope = NewDisposeScope();
        double loss = ContrastiveLosses.CosineSimilarity(tensor(Anchors), tensor(Positives), tensor(new[] { 0f, 1f })).item<float>();

        double r = 1 / Math.Sqrt(2);
        // pair 0: cos((1,0),(2,0)) = 1, target 0; pair 1: cos((1,1),(0,3)) = r, target 1.
        Assert.Equal((Math.Pow(1 - 0, 2) + Math.Pow(r - 1, 2)) / 2, loss, 5);
    }

    [Fact]
    public void CosineSimilarity_TakesFloatTargets()
    {
        using var scope = NewDisposeScope();
        double loss = ContrastiveLosses.CosineSimilarity(tensor(Anchors), tensor(Negatives), tensor(new[] { 0.5f, -0.25f })).item<float>();

        double r = 1 / Math.Sqrt(2);
        double cos0 = -r, cos1 = -1 / (Math.Sqrt(2) * Math.Sqrt(5));
        Assert.Equal((Math.Pow(cos0 - 0.5, 2) + Math.Pow(cos1 + 0.25, 2)) / 2, loss, 5);
    }
}

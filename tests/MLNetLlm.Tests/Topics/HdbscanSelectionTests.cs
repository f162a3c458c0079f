using Microsoft.ML;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

/// <summary>
/// The layout that made the default HDBSCAN path collapse on whole Brown texts (two topics for 15 genres): a band of
/// blobs in a row, next to a small island far away. Excess of mass keeps the band as one topic because it lasts from the
/// island's distance down to the blobs' spacing; <see cref="TopicModelOptions.MaxClusterShare"/> stops that.
/// </summary>
public sealed class HdbscanSelectionTests
{
    private const int Blobs = 14, PerBlob = 35, Island = 10, Dimensions = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DefaultsFindTheBlobsOfABandBesideAFarIsland(int seed)
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, BandAndIsland(seed), Dimensions);

        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { Dimensions = 0, OutlierReduction = OutlierReductionStrategy.None }).Fit(data);
        var metrics = TopicMetrics.Evaluate(model, data, labelColumnName: "Label");

        Assert.InRange(metrics.Topics, 11, Blobs + 1);
        Assert.All(model.Topics.Where(t => t.Id >= 0), t => Assert.InRange(t.Size, 10, (Blobs * PerBlob + Island) / 2));
        Assert.True(metrics.NormalizedMutualInformation > 0.75, $"NMI {metrics.NormalizedMutualInformation}");
    }

    [Fact]
    public void WithoutTheShareLimitExcessOfMassKeepsTheBandAsOneTopic()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, BandAndIsland(seed: 1), Dimensions);

        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Dimensions = 0, OutlierReduction = OutlierReductionStrategy.None, MaxClusterShare = 1,
        }).Fit(data);

        Assert.Equal([Blobs * PerBlob, Island], model.Topics.Where(t => t.Id >= 0).Select(t => t.Size).Order().Reverse());
    }

    [Fact]
    public void LeafSelectionSplitsEveryGroupIntoItsSubclusters()
    {
        // Two groups far apart, each two tight blobs of 20 a short way apart: the leaves are the four blobs.
        var random = new Random(5);
        var documents = new List<TopicDocument>();
        foreach (var (x, y, name) in new[] { (0f, 0f, "a1"), (6f, 0f, "a2"), (0f, 60f, "b1"), (6f, 60f, "b2") })
            for (int i = 0; i < 20; i++)
                documents.Add(new TopicDocument
                {
                    Embedding = [x + Noise(random), y + Noise(random), Noise(random)],
                    Text = $"{name} words",
                    Label = name,
                });
        var ml = new MLContext(seed: 1);
        var data = SyntheticTopics.Load(ml, documents, dimensions: 3);

        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Dimensions = 0, MinClusterSize = 5, ClusterSelection = HdbscanSelection.Leaf, OutlierReduction = OutlierReductionStrategy.None,
        }).Fit(data);
        var metrics = TopicMetrics.Evaluate(model, data, labelColumnName: "Label");

        Assert.Equal(4, metrics.Topics);
        Assert.True(metrics.NormalizedMutualInformation > 0.95, $"NMI {metrics.NormalizedMutualInformation}");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void ShareOutsideZeroToOneIsRefused(float share)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext(seed: 1).Transforms.Llm.TopicModel(new TopicModelOptions { MaxClusterShare = share }));
        Assert.Contains("MaxClusterShare", error.Message);
    }

    [Fact]
    public void UndefinedSelectionIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext(seed: 1).Transforms.Llm.TopicModel(new TopicModelOptions { ClusterSelection = (HdbscanSelection)7 }));
        Assert.Contains("ClusterSelection", error.Message);
    }

    /// <summary>14 unit Gaussian blobs of 35 along the first axis, 6 apart, and 10 points 40 away on the second axis.</summary>
    private static List<TopicDocument> BandAndIsland(int seed)
    {
        var random = new Random(seed);
        var documents = new List<TopicDocument>();
        for (int b = 0; b < Blobs; b++)
            for (int i = 0; i < PerBlob; i++)
                documents.Add(Point(random, b * 6f, 0, $"blob{b}"));
        for (int i = 0; i < Island; i++)
            documents.Add(Point(random, 0, 40, "island"));
        return documents;
    }

    private static TopicDocument Point(Random random, float x, float y, string label) => new()
    {
        Embedding = [x + Gaussian(random), y + Gaussian(random), Gaussian(random), Gaussian(random), Gaussian(random)],
        Text = $"{label} common",
        Label = label,
    };

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static float Noise(Random random) => 0.3f * Gaussian(random);
}

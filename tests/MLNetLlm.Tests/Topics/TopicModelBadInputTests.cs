using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

public sealed class TopicModelBadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Theory]
    [InlineData(TopicClustering.KMeans)]
    [InlineData(TopicClustering.Hdbscan)]
    public void Workout(TopicClustering clustering)
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 3, perCluster: 15));
        var noEmbedding = Ml.Data.LoadFromEnumerable(new[] { new { Text = "words here", Label = "a" } });
        var textEmbedding = Ml.Data.LoadFromEnumerable(new[] { new { Embedding = "not numbers", Text = "words here" } });
        var model = EstimatorWorkout.Check(
            Ml.Transforms.Llm.TopicModel(new TopicModelOptions { Clustering = clustering, NumberOfTopics = 3, MinClusterSize = 5 }),
            data, (noEmbedding, "'Embedding'"), (textEmbedding, "'Embedding'"));
        Assert.Equal(3, model.Topics.Count(t => t.Id >= 0));
    }

    [Fact]
    public void SavedModelKeepsItsTopicTable()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 3, perCluster: 15));
        var model = Ml.Transforms.Llm.TopicModel(numberOfTopics: 3).Fit(data).ReduceTopics(2);
        var path = Path.Combine(Path.GetTempPath(), $"topics-{Guid.NewGuid():N}.zip");
        try
        {
            Ml.Model.Llm.Save(model, data.Schema, path);
            var chain = (TransformerChain<ITransformer>)new MLContext(seed: 9).Model.Llm.Load(path, out _);
            var loaded = Assert.IsType<TopicModelTransformer>(Assert.Single(chain));
            Assert.Equal(model.Topics.Select(t => (t.Id, t.Size, t.Name)), loaded.Topics.Select(t => (t.Id, t.Size, t.Name)));
            Assert.Equal(model.Topics.SelectMany(t => t.Words), loaded.Topics.SelectMany(t => t.Words));
            Assert.Equal(model.Topics.SelectMany(t => t.RepresentativeDocuments), loaded.Topics.SelectMany(t => t.RepresentativeDocuments));
            Assert.Single(loaded.ReduceTopics(1).Topics);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FewerDocumentsThanTopicsFails()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 2, perCluster: 2));
        var error = Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(numberOfTopics: 5).Fit(data));
        Assert.Contains("NumberOfTopics = 5", error.Message);
        error = Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 10 }).Fit(data));
        Assert.Contains("MinClusterSize = 10", error.Message);
    }

    [Fact]
    public void ZeroTopicsAndOtherBadOptionsFailAtOnce()
    {
        Assert.Contains("NumberOfTopics", Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.Llm.TopicModel(numberOfTopics: 0)).Message);
        Assert.Contains("MinClusterSize", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 1 })).Message);
        Assert.Contains("TopWords", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.Llm.TopicModel(new TopicModelOptions { TopWords = 0 })).Message);
        Assert.Contains("Diversity", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.Llm.TopicModel(new TopicModelOptions { Diversity = 2 })).Message);
        Assert.Contains("WordEmbedder", Assert.Throws<ArgumentException>(() =>
            Ml.Transforms.Llm.TopicModel(new TopicModelOptions { Diversity = 0.5f })).Message);
        Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(new TopicModelOptions { DistanceColumnName = "Topic" }));
    }

    [Fact]
    public void EmptyAndDuplicateDocumentsAreFine()
    {
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 12);
        documents[0].Text = "";
        documents[1].Text = "   ";
        // Twelve copies of one document (same embedding, same text): zero distances must not break HDBSCAN.
        documents.AddRange(Enumerable.Range(0, 12).Select(_ => new TopicDocument { Embedding = documents[2].Embedding, Text = documents[2].Text, Label = documents[2].Label }));
        var data = SyntheticTopics.Load(Ml, documents);
        foreach (var clustering in new[] { TopicClustering.Hdbscan, TopicClustering.KMeans })
        {
            var model = Ml.Transforms.Llm.TopicModel(new TopicModelOptions { Clustering = clustering, NumberOfTopics = 3, MinClusterSize = 5 }).Fit(data);
            var topics = model.Transform(data).GetColumn<int>("Topic").ToArray();
            Assert.All(topics.Skip(36), t => Assert.Equal(topics[2], t));
            Assert.True(topics[2] >= 0);
            Assert.All(model.Topics.Where(t => t.Id >= 0), t => Assert.Equal(t.RepresentativeDocuments.Distinct().Count(), t.RepresentativeDocuments.Count));
        }
    }

    [Fact]
    public void NoVocabularyFails()
    {
        var documents = SyntheticTopics.Documents(clusters: 2, perCluster: 10);
        foreach (var d in documents)
            d.Text = "the and of 42";
        var data = SyntheticTopics.Load(Ml, documents);
        var error = Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(numberOfTopics: 2).Fit(data));
        Assert.Contains("'Text'", error.Message);
        Assert.Contains("vocabulary", error.Message);
        // A document-frequency cut above every word's frequency leaves no vocabulary either.
        var fine = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 2, perCluster: 10));
        Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, MinDocumentFrequency = 100,
        }).Fit(fine));
    }

    [Fact]
    public void EmbeddingOfTheWrongSizeFails()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 2, perCluster: 10));
        var model = Ml.Transforms.Llm.TopicModel(numberOfTopics: 2).Fit(data);
        var other = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 2, perCluster: 3, dimensions: 16), dimensions: 16);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(other));
        Assert.Contains("'Embedding'", error.Message);
        Assert.Contains("16", error.Message);
        Assert.Contains("32", error.Message);
        var variable = Ml.Data.LoadFromEnumerable(new[] { new { Embedding = new float[] { 1, 2 }, Text = "a b" } });
        Assert.Contains("known-size", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.Llm.TopicModel().GetOutputSchema(EstimatorWorkout.ShapeOf(variable.Schema))).Message);
        // PCA to more dimensions than the embedding has.
        Assert.Contains("Dimensions", Assert.Throws<ArgumentException>(() => Ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            Clustering = TopicClustering.KMeans, NumberOfTopics = 2, Dimensions = 40,
        }).Fit(data)).Message);
    }

    [Fact]
    public void NaNEmbeddingFailsNamingTheRow()
    {
        var documents = SyntheticTopics.Documents(clusters: 2, perCluster: 10);
        var data = SyntheticTopics.Load(Ml, documents);
        var model = Ml.Transforms.Llm.TopicModel(numberOfTopics: 2).Fit(data);
        documents[4].Embedding[7] = float.NaN;
        var bad = SyntheticTopics.Load(Ml, documents);

        var fitError = Assert.Throws<InvalidOperationException>(() => Ml.Transforms.Llm.TopicModel(numberOfTopics: 2).Fit(bad));
        var transformError = Assert.Throws<InvalidOperationException>(() => model.Transform(bad).GetColumn<int>("Topic").ToArray());

        foreach (var error in new[] { fitError, transformError })
        {
            Assert.Contains("'Embedding'", error.Message);
            Assert.Contains("row 4", error.Message);
        }
    }

    [Fact]
    public void DocumentMap_gives_each_row_its_topic_and_its_first_two_principal_components()
    {
        var data = SyntheticTopics.Load(Ml, SyntheticTopics.Documents(clusters: 4, perCluster: 20));
        var model = Ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 8 }).Fit(data);

        var points = model.MapDocuments(data);

        Assert.Equal(model.Transform(data).GetColumn<int>("Topic"), points.Select(p => p.Topic));
        Assert.All(points, p => Assert.True(float.IsFinite(p.X) && float.IsFinite(p.Y)));
        Assert.True(points.Select(p => (p.X, p.Y)).Distinct().Count() > 1);
        var noEmbedding = Ml.Data.LoadFromEnumerable(new[] { new { Text = "words here" } });
        Assert.Contains("'Embedding'", Assert.ThrowsAny<ArgumentException>(() => model.MapDocuments(noEmbedding)).Message);
    }
}

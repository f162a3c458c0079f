using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

public sealed class TopicModelTests
{
    [Theory]
    [InlineData(TopicClustering.KMeans)]
    [InlineData(TopicClustering.Hdbscan)]
    public void RecoversWellSeparatedClusters(TopicClustering clustering)
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 5, perCluster: 40);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions { Clustering = clustering, NumberOfTopics = 5 }).Fit(data);

        var metrics = TopicMetrics.Evaluate(model, data, labelColumnName: "Label");

        Assert.Equal(5, metrics.Topics);
        Assert.True(metrics.NormalizedMutualInformation > 0.95, $"NMI {metrics.NormalizedMutualInformation}");
        Assert.True(metrics.AdjustedRandIndex > 0.95, $"ARI {metrics.AdjustedRandIndex}");
        // Each topic's first word comes from one vocabulary, and each vocabulary leads one topic.
        var leaders = model.Topics.Where(t => t.Id >= 0)
            .Select(t => Array.FindIndex(SyntheticTopics.Vocabularies, v => v.Contains(t.Words[0].Word))).ToArray();
        Assert.Equal([0, 1, 2, 3, 4], leaders.Order());
        Assert.All(model.Topics.Where(t => t.Id >= 0), t => Assert.Equal(40, t.Size));
    }

    [Fact]
    public void OutputColumnsGiveTopicDistanceAndWords()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 20);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(numberOfTopics: 3).Fit(data);
        var scored = model.Transform(data);

        var topics = scored.GetColumn<int>("Topic").ToArray();
        var distances = scored.GetColumn<float>("TopicDistance").ToArray();
        var words = scored.GetColumn<string[]>("TopicWords").ToArray();
        for (int i = 0; i < documents.Count; i++)
        {
            var topic = model.GetTopic(topics[i]);
            Assert.Equal(topic.Words.Select(w => w.Word), words[i]);
            Assert.InRange(distances[i], 0f, 0.05f); // noise 0.3 around centres of norm 10
        }
        Assert.Equal(10, model.Topics[0].Words.Count);
        Assert.Equal(3, model.Topics[0].RepresentativeDocuments.Count);
        Assert.All(model.Topics, t => Assert.DoesNotContain(t.Words, w => EnglishStopWords.Words.Contains(w.Word)));
    }

    [Fact]
    public void HdbscanPutsScatteredDocumentsInTheOutlierTopic()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 30);
        var random = new Random(3);
        var strays = Enumerable.Range(0, 5).Select(i => new TopicDocument
        {
            Embedding = Enumerable.Range(0, 32).Select(_ => (float)(random.NextDouble() * 60 - 30)).ToArray(),
            Text = $"stray words number {i}",
            Label = "stray",
        }).ToList();
        var data = SyntheticTopics.Load(ml, documents.Concat(strays));
        var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
        {
            MinClusterSize = 10, Dimensions = 0, OutlierReduction = OutlierReductionStrategy.None,
        }).Fit(data);

        var topics = model.Transform(data).GetColumn<int>("Topic").ToArray();
        Assert.Equal(-1, model.Topics[0].Id);
        Assert.Equal(3, model.Topics.Count(t => t.Id >= 0));
        Assert.All(topics.TakeLast(5), t => Assert.Equal(-1, t));
        Assert.DoesNotContain(-1, topics.Take(documents.Count));
    }

    [Fact]
    public void ReduceTopicsMergesTheSmallestIntoItsNearest()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 4, perCluster: 30);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(numberOfTopics: 4).Fit(data);

        var reduced = model.ReduceTopics(2);

        Assert.Equal(4, model.Topics.Count);
        Assert.Equal(2, reduced.Topics.Count);
        Assert.Equal(120, reduced.Topics.Sum(t => t.Size));
        Assert.All(reduced.Topics, t => Assert.True(t.Size % 30 == 0, "whole topics merge"));
        var before = model.Transform(data).GetColumn<int>("Topic").ToArray();
        var after = reduced.Transform(data).GetColumn<int>("Topic").ToArray();
        // Documents that shared a topic still do.
        for (int i = 1; i < before.Length; i++)
            if (before[i] == before[0])
                Assert.Equal(after[0], after[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ReduceTopics(0));
    }

    [Fact]
    public void FindTopicsRanksByCentroidSimilarity()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 20);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(numberOfTopics: 3).Fit(data);
        var topicOfFirst = model.Transform(data).GetColumn<int>("Topic").First();

        var matches = model.FindTopics(documents[0].Embedding, count: 2);
        var byText = model.FindTopics("anything", _ => documents[0].Embedding, count: 1);

        Assert.Equal(2, matches.Count);
        Assert.Equal(topicOfFirst, matches[0].Topic.Id);
        Assert.True(matches[0].Similarity > 0.95f && matches[1].Similarity < 0.6f, $"{matches[0].Similarity} {matches[1].Similarity}");
        Assert.Equal(topicOfFirst, byText[0].Topic.Id);
        Assert.Throws<ArgumentException>(() => model.FindTopics(new float[5]));
        Assert.Throws<ArgumentException>(() => model.FindTopics(Enumerable.Repeat(float.NaN, 32).ToArray()));
    }

    [Fact]
    public void SameSeedSameTopics()
    {
        var documents = SyntheticTopics.Documents(clusters: 4, perCluster: 15);
        int[] Fit(int seed)
        {
            var ml = new MLContext(seed);
            var data = SyntheticTopics.Load(ml, documents);
            return ml.Transforms.Llm.TopicModel(numberOfTopics: 6).Fit(data).Transform(data).GetColumn<int>("Topic").ToArray();
        }
        Assert.Equal(Fit(5), Fit(5));
    }
}

public sealed class TopicModelPredictionEngineTests
{
    public sealed class Prediction
    {
        public int Topic { get; set; }
        public float TopicDistance { get; set; }
        public string[] TopicWords { get; set; } = [];
    }

    [Fact]
    public void PredictionEngineAssignsEachRowAfresh()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 15);
        var data = SyntheticTopics.Load(ml, documents);
        var model = ml.Transforms.Llm.TopicModel(numberOfTopics: 3).Fit(data);
        var expected = model.Transform(data).GetColumn<int>("Topic").ToArray();
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(TopicDocument));
        schema[nameof(TopicDocument.Embedding)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 32);
        var engine = ml.Model.CreatePredictionEngine<TopicDocument, Prediction>(model, inputSchemaDefinition: schema);
        for (int i = 0; i < 6; i++)
        {
            var prediction = engine.Predict(documents[i]);
            Assert.Equal(expected[i], prediction.Topic);
            Assert.Equal(model.GetTopic(expected[i]).Words.Select(w => w.Word), prediction.TopicWords);
        }
    }
}

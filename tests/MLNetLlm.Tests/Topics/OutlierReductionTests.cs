using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Topics;

namespace MLNetLlm.Tests.Topics;

/// <summary>BERTopic-style outlier reduction: thresholds, the two strategies, Transform against Fit, saving.</summary>
public sealed class OutlierReductionTests
{
    private const int Strays = 12;

    /// <summary>
    /// Three dense synthetic topics (30 documents each) and <see cref="Strays"/> scattered documents: each stray leans
    /// towards one topic's centre by a different amount, so its best cosine to a topic centroid ranges from low to high,
    /// and is far from every dense region (an HDBSCAN outlier). A stray's text holds its topic's words when
    /// <paramref name="strayWords"/>, else words no topic has.
    /// </summary>
    private static (List<TopicDocument> Documents, IDataView Data) Corpus(MLContext ml, bool strayWords = false)
    {
        var documents = SyntheticTopics.Documents(clusters: 3, perCluster: 30);
        var centres = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 32)
            .Select(i => documents.Where(d => d.Label == $"topic{c}").Average(d => d.Embedding[i])).ToArray()).ToArray();
        var random = new Random(11);
        for (int s = 0; s < Strays; s++)
        {
            float lean = (s + 1) / (float)Strays;
            var noise = Enumerable.Range(0, 32).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            float norm = MathF.Sqrt(noise.Sum(x => x * x));
            documents.Add(new TopicDocument
            {
                Embedding = Enumerable.Range(0, 32).Select(i => lean * centres[s % 3][i] + 15 * noise[i] / norm).ToArray(),
                Text = strayWords ? string.Join(" ", SyntheticTopics.Vocabularies[s % 3].Take(3)) : $"zebra quokka number{s}",
                Label = "stray",
            });
        }
        return (documents, SyntheticTopics.Load(ml, documents));
    }

    private static TopicModelOptions Options(OutlierReductionStrategy strategy, float threshold = 0) => new()
    {
        MinClusterSize = 10, Dimensions = 0, OutlierReduction = strategy, OutlierThreshold = threshold,
    };

    private static int[] Topics(ITransformer model, IDataView data) => model.Transform(data).GetColumn<int>("Topic").ToArray();

    /// <summary>Each stray's most similar topic by hand: cosine to each topic's centroid, the normalised mean of its documents' normalised embeddings.</summary>
    private static (int Topic, float Similarity)[] BestTopics(List<TopicDocument> documents, int[] topics)
    {
        static float[] Normalized(float[] v) { float n = MathF.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }
        var centroids = topics.Where(t => t >= 0).Distinct().ToDictionary(t => t, t => Normalized(Enumerable.Range(0, 32)
            .Select(i => Enumerable.Range(0, documents.Count).Where(d => topics[d] == t).Sum(d => Normalized(documents[d].Embedding)[i])).ToArray()));
        return documents.Skip(documents.Count - Strays)
            .Select(d => centroids.Select(c => (Topic: c.Key, Similarity: Cosine(d.Embedding, c.Value))).MaxBy(x => x.Similarity)).ToArray();
    }

    private static float Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / MathF.Sqrt(a.Sum(x => x * x)) / MathF.Sqrt(b.Sum(x => x * x));

    [Fact]
    public void EmbeddingsStrategyMovesOnlyOutliersAtOrAboveTheThreshold()
    {
        var ml = new MLContext(seed: 1);
        var (documents, data) = Corpus(ml);
        var plain = ml.Transforms.Llm.TopicModel(Options(OutlierReductionStrategy.None)).Fit(data);
        var before = Topics(plain, data);
        Assert.Equal(Strays, before.Count(t => t < 0));
        Assert.All(before.TakeLast(Strays), t => Assert.Equal(-1, t));

        var best = BestTopics(documents, before);
        var sorted = best.Select(b => b.Similarity).Order().ToArray();
        // Halfway between two strays' similarities, so rounding cannot put either on the other side.
        float threshold = (sorted[Strays / 2 - 1] + sorted[Strays / 2]) / 2;
        Assert.True(sorted[Strays / 2 - 1] < sorted[Strays / 2] && threshold > 0, "the strays' similarities must straddle a positive threshold");

        var model = ml.Transforms.Llm.TopicModel(Options(OutlierReductionStrategy.Embeddings, threshold)).Fit(data);
        var after = Topics(model, data);

        // Clustered documents keep their topic (ids by size may move: compare partitions through the first documents).
        var renamed = Enumerable.Range(0, 3).ToDictionary(t => t, t => after[Array.IndexOf(before, t)]);
        for (int d = 0; d < documents.Count - Strays; d++)
            Assert.Equal(renamed[before[d]], after[d]);
        for (int s = 0; s < Strays; s++)
        {
            int topic = after[documents.Count - Strays + s];
            if (best[s].Similarity >= threshold)
                Assert.Equal(renamed[best[s].Topic], topic);
            else
                Assert.Equal(-1, topic);
        }
        Assert.Equal(Strays / 2, after.Count(t => t < 0));
        // Transform agrees with Fit: the topic table's sizes are what Transform hands out.
        Assert.All(model.Topics, t => Assert.Equal(t.Size, after.Count(a => a == t.Id)));
    }

    [Fact]
    public void DefaultReassignsEveryOutlierWithAPositiveSimilarityAndAThresholdOfOneNone()
    {
        var ml = new MLContext(seed: 1);
        var (documents, data) = Corpus(ml);
        var plain = ml.Transforms.Llm.TopicModel(Options(OutlierReductionStrategy.None)).Fit(data);
        var byDefault = ml.Transforms.Llm.TopicModel(new TopicModelOptions { MinClusterSize = 10, Dimensions = 0 }).Fit(data);
        var strict = ml.Transforms.Llm.TopicModel(Options(OutlierReductionStrategy.Embeddings, threshold: 1)).Fit(data);

        int nonPositive = BestTopics(documents, Topics(plain, data)).Count(b => b.Similarity <= 0);
        Assert.Equal(nonPositive, Topics(byDefault, data).Count(t => t < 0));
        Assert.True(nonPositive < Strays / 2, $"{nonPositive} strays have no positive similarity");
        Assert.Equal(Strays, Topics(strict, data).Count(t => t < 0));
        Assert.Equal(Strays, strict.GetTopic(-1).Size);
    }

    [Fact]
    public void ClassTfidfStrategyReadsTheTextAndLeavesDocumentsWithNoKnownWord()
    {
        var ml = new MLContext(seed: 1);
        var (documents, data) = Corpus(ml, strayWords: true);
        var model = ml.Transforms.Llm.TopicModel(Options(OutlierReductionStrategy.ClassTfidf)).Fit(data);
        var topics = Topics(model, data);

        // A stray that says "rocket orbit launch" joins the topic that leads with those words.
        for (int s = 0; s < Strays; s++)
        {
            var topic = model.GetTopic(topics[documents.Count - Strays + s]);
            Assert.Contains(topic.Words.Take(6), w => SyntheticTopics.Vocabularies[s % 3].Contains(w.Word));
        }
        Assert.All(model.Topics, t => Assert.Equal(t.Size, topics.Count(a => a == t.Id)));

        // New documents: the same embedding, words no topic knows, stays an outlier; the text column is required.
        var unknown = SyntheticTopics.Load(ml, [new TopicDocument { Embedding = documents[^1].Embedding, Text = "zebra quokka" }]);
        Assert.Equal(-1, Assert.Single(Topics(model, unknown)));
        // Rows with one embedding and different texts are assigned each by its own text (the row cache keys on both).
        var twins = SyntheticTopics.Load(ml,
        [
            new TopicDocument { Embedding = documents[^1].Embedding, Text = documents[^1].Text },
            new TopicDocument { Embedding = documents[^1].Embedding, Text = "zebra quokka" },
        ]);
        Assert.Equal([topics[^1], -1], Topics(model, twins));
        var noText = ml.Data.LoadFromEnumerable([new EmbeddingOnly { Embedding = documents[^1].Embedding }],
            SchemaFor32<EmbeddingOnly>());
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Transform(noText));
        Assert.Contains("'Text'", error.Message);
    }

    [Fact]
    public void SavedModelReducesNewOutliersAsTheFittedOne()
    {
        var ml = new MLContext(seed: 1);
        var (_, data) = Corpus(ml, strayWords: true);
        var options = Options(OutlierReductionStrategy.ClassTfidf, threshold: 0.2f);
        options.Bm25Weighting = true;
        options.ReduceFrequentWords = true;
        var model = ml.Transforms.Llm.TopicModel(options).Fit(data);
        var (_, fresh) = Corpus(new MLContext(seed: 5), strayWords: false);
        var path = Path.Combine(Path.GetTempPath(), $"outliers-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, data.Schema, path);
            var chain = (TransformerChain<ITransformer>)new MLContext(seed: 9).Model.Llm.Load(path, out _);
            var loaded = Assert.IsType<TopicModelTransformer>(Assert.Single(chain));
            Assert.Equal(Topics(model, data), Topics(loaded, data));
            Assert.Equal(Topics(model, fresh), Topics(loaded, fresh));
            Assert.Equal(model.Topics.SelectMany(t => t.Words), loaded.Topics.SelectMany(t => t.Words));
            // The c-TF-IDF variant is saved: merging topics ranks words the same way after loading.
            Assert.Equal(model.ReduceTopics(2).Topics.SelectMany(t => t.Words), loaded.ReduceTopics(2).Topics.SelectMany(t => t.Words));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(OutlierReductionStrategy.Embeddings)]
    [InlineData(OutlierReductionStrategy.ClassTfidf)]
    public void Workout(OutlierReductionStrategy strategy)
    {
        var ml = new MLContext(seed: 1);
        var (_, data) = Corpus(ml, strayWords: true);
        var noEmbedding = ml.Data.LoadFromEnumerable(new[] { new { Text = "words here", Label = "a" } });
        var model = EstimatorWorkout.Check(ml.Transforms.Llm.TopicModel(Options(strategy, threshold: 0.1f)), data, (noEmbedding, "'Embedding'"));
        Assert.Equal(3, model.Topics.Count(t => t.Id >= 0));
    }

    [Fact]
    public void BadOutlierOptionsFailAtOnce()
    {
        var ml = new MLContext(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { OutlierThreshold = -0.1f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { OutlierThreshold = 1.5f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.TopicModel(new TopicModelOptions { OutlierReduction = (OutlierReductionStrategy)7 }));
    }

    private static SchemaDefinition SchemaFor32<T>()
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Embedding"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 32);
        return schema;
    }

    private sealed class EmbeddingOnly
    {
        public float[] Embedding { get; set; } = [];
    }
}

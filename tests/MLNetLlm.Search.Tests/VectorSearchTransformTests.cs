using MLNetLlm.Embeddings;
using MLNetLlm.Search;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Search.Tests;

public class VectorSearchTransformTests
{
    private static readonly string[] Corpus =
    [
        "A cat is a small domesticated feline.",
        "The stock market fell sharply on Monday.",
        "Paris is the capital of France.",
        "Photosynthesis turns sunlight into chemical energy in plants.",
        "The violin is a bowed string instrument.",
    ];

    private sealed class Document
    {
        public string Id { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private sealed class Question
    {
        public string Query { get; set; } = "";
    }

    private sealed class VectorQuestion
    {
        [VectorType(3)]
        public float[] Query { get; set; } = [];
    }

    private static IDataView EmbeddedCorpus(MLContext ml) =>
        ml.Transforms.Llm.EmbedText("Embedding", "Text", SentenceEmbedders.MiniLmL6V2())
            .Fit(ml.Data.LoadFromEnumerable(Corpus.Select((t, i) => new Document { Id = $"d{i}", Text = t })))
            .Transform(ml.Data.LoadFromEnumerable(Corpus.Select((t, i) => new Document { Id = $"d{i}", Text = t })));

    [Fact]
    public void TextQueriesFindTheirDocument()
    {
        var ml = new MLContext(seed: 1);
        var corpus = EmbeddedCorpus(ml);
        var questions = ml.Data.LoadFromEnumerable(new[] { new Question { Query = "Which city is the French capital?" }, new Question { Query = "kitten" } });
        var estimator = ml.Transforms.Llm.IndexVectors("Query", SentenceEmbedders.MiniLmL6V2(), k: 3);

        using var model = estimator.Fit(corpus);
        var output = model.Transform(questions);

        var ids = output.GetColumn<VBuffer<ReadOnlyMemory<char>>>("NeighbourIds").Select(v => v.DenseValues().Select(x => x.ToString()).ToArray()).ToArray();
        var texts = output.GetColumn<VBuffer<ReadOnlyMemory<char>>>("NeighbourTexts").First().DenseValues().Select(x => x.ToString()).ToArray();
        var scores = output.GetColumn<VBuffer<float>>("NeighbourScores").First().DenseValues().ToArray();
        Assert.Equal("d2", ids[0][0]);
        Assert.Equal("d0", ids[1][0]);
        Assert.Equal(3, ids[0].Length);
        Assert.Equal(Corpus[2], texts[0]);
        Assert.True(scores[0] > scores[1]);
    }

    [Fact]
    public void TheEstimatorPassesTheWorkoutSearchingTheCorpusWithItsOwnTexts()
    {
        var ml = new MLContext(seed: 1);
        var corpus = EmbeddedCorpus(ml);

        var fitted = EstimatorWorkout.Check(ml.Transforms.Llm.IndexVectors("Text", SentenceEmbedders.MiniLmL6V2(), k: 2), corpus);

        Assert.Equal(["d0", "d1", "d2", "d3", "d4"], Neighbours(fitted.Transform(corpus)).Select(n => n[0]));
    }

    [Fact]
    public void SavedModelLoadsWithoutReEmbeddingAndGivesTheSameNeighbours()
    {
        var ml = new MLContext(seed: 1);
        var corpus = EmbeddedCorpus(ml);
        var questions = ml.Data.LoadFromEnumerable(new[] { new Question { Query = "music with a bow" }, new Question { Query = "shares dropped" } });
        using var model = ml.Transforms.Llm.IndexVectors("Query", SentenceEmbedders.MiniLmL6V2(), k: 2).Fit(corpus);
        var path = Path.Combine(TestVectors.TempFolder() + ".zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ml.Model.Llm.Save(model, questions.Schema, path);

        var loaded = new MLContext(seed: 2).Model.Llm.Load(path, out _);

        Assert.Equal(Neighbours(model.Transform(questions)), Neighbours(loaded.Transform(questions)));
        Assert.Equal("d4", Neighbours(loaded.Transform(questions))[0][0]);
    }

    [Fact]
    public void VectorQueriesNeedNoEmbedder()
    {
        var ml = new MLContext(seed: 1);
        var corpus = ml.Data.LoadFromEnumerable(new[]
        {
            new VectorDocument3 { Id = "x", Embedding = [1, 0, 0] },
            new VectorDocument3 { Id = "y", Embedding = [0, 1, 0] },
        });
        var questions = ml.Data.LoadFromEnumerable(new[] { new VectorQuestion { Query = [0.1f, 0.9f, 0] } });

        using var model = ml.Transforms.Llm.IndexVectors(new VectorSearchOptions { TextColumnName = null, K = 5 }).Fit(corpus);
        var output = model.Transform(questions);

        Assert.Equal(["y", "x"], Neighbours(output)[0]);
        Assert.Null(output.Schema.GetColumnOrNull("NeighbourTexts"));
    }

    private sealed class VectorDocument3
    {
        public string Id { get; set; } = "";

        [VectorType(3)]
        public float[] Embedding { get; set; } = [];
    }

    private sealed class WrongQuestion
    {
        public float Query { get; set; }
    }

    private sealed class WideQuestion
    {
        [VectorType(4)]
        public float[] Query { get; set; } = [];
    }

    [Fact]
    public void AMissingOrWrongTypedQueryColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var corpus = ml.Data.LoadFromEnumerable(new[] { new VectorDocument3 { Id = "x", Embedding = [1, 0, 0] } });
        using var model = ml.Transforms.Llm.IndexVectors(new VectorSearchOptions { TextColumnName = null }).Fit(corpus);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(corpus));
        Assert.Contains("'Query'", missing.Message);
        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(ml.Data.LoadFromEnumerable(new[] { new WrongQuestion() })));
        Assert.Contains("'Query'", wrong.Message);
        Assert.Contains("text or a vector of Single", wrong.Message);
        var wide = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(ml.Data.LoadFromEnumerable(new[] { new WideQuestion { Query = [1, 0, 0, 0] } })));
        Assert.Contains("4 Single", wide.Message);
        var text = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(ml.Data.LoadFromEnumerable(new[] { new Question { Query = "cat" } })));
        Assert.Contains("no embedder", text.Message);
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Llm.IndexVectors(new VectorSearchOptions { TextColumnName = null }).GetOutputSchema(EstimatorWorkout.ShapeOf(corpus.Schema)));
        Assert.Contains("'Query'", shape.Message);
    }

    [Fact]
    public void AnEmptyCorpusOrDuplicateIdsFailFit()
    {
        var ml = new MLContext(seed: 1);
        var options = new VectorSearchOptions { TextColumnName = null };
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<VectorDocument3>());
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.IndexVectors(options).Fit(empty)).Message);
        var twice = ml.Data.LoadFromEnumerable(new[] { new VectorDocument3 { Id = "x", Embedding = [1, 0, 0] }, new VectorDocument3 { Id = "x", Embedding = [0, 1, 0] } });
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.IndexVectors(options).Fit(twice)).Message);
    }

    private static string[][] Neighbours(IDataView output) =>
        [.. output.GetColumn<VBuffer<ReadOnlyMemory<char>>>("NeighbourIds").Select(v => v.DenseValues().Select(x => x.ToString()).ToArray())];
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Tests.Embeddings;

public class EmbedTextTests
{
    private sealed class Prediction
    {
        public float[] Embedding { get; set; } = [];
    }

    [Fact]
    public void Default_embedder_writes_384_singles_per_row_equal_to_the_embedder_vectors()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, SentencePairs.All);
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data).Transform(data);

        var type = Assert.IsType<VectorDataViewType>(output.Schema["Embedding"].Type);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(384, type.Size);
        var expected = SentenceEmbedders.MiniLmL6V2().Embed(SentencePairs.All);
        var actual = DataViewValues.Column<float>(output, "Embedding");
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Rows_are_embedded_in_batches_of_the_batch_size_with_the_input_columns_kept(int batchSize)
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 10).Select(i => new LabeledText { Text = new string('b', i), Label = $"row {i}" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var embedder = new LetterCountEmbedder();
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder, batchSize).Fit(data).Transform(data);

        var vectors = DataViewValues.Column<float>(output, "Embedding");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), vectors.Select(v => v[1]));
        Assert.Equal(rows.Select(r => r.Label), DataViewValues.Column<ReadOnlyMemory<char>>(output, "Label").Select(v => v[0].ToString()));
        Assert.All(embedder.BatchSizes, size => Assert.True(size <= batchSize));
        Assert.Equal((10 + batchSize - 1) / batchSize, embedder.Calls);
    }

    [Fact]
    public void Nothing_is_embedded_unless_the_embedding_column_is_read()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "a", "b", "c");
        var embedder = new LetterCountEmbedder();
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder).Fit(data).Transform(data);

        Assert.Equal(3, DataViewValues.Column<ReadOnlyMemory<char>>(output, "Text").Count);
        Assert.Equal(0, embedder.Calls);
    }

    [Fact]
    public void Skipped_rows_are_not_embedded()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, [.. Enumerable.Range(0, 10).Select(i => new string('c', i))]);
        var embedder = new LetterCountEmbedder();
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder, batchSize: 2).Fit(data).Transform(data);

        var column = output.Schema["Embedding"];
        using var cursor = output.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        var read = new List<float>();
        while (cursor.MoveNext())
            if (cursor.Position is 1 or 7)
            {
                getter(ref value);
                read.Add(value.GetValues()[2]);
            }
        Assert.Equal([1f, 7f], read);
        Assert.Equal([2, 2], embedder.BatchSizes);
    }

    [Fact]
    public void Empty_null_and_duplicate_texts_are_embedded_like_the_empty_text_and_alike()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, null, "", "same", "same");
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data).Transform(data);
        var vectors = DataViewValues.Column<float>(output, "Embedding");
        var empty = SentenceEmbedders.MiniLmL6V2().Embed("");
        Assert.Equal(empty, vectors[0], (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(vectors[0], vectors[1]);
        Assert.Equal(vectors[2], vectors[3]);
    }

    [Fact]
    public void A_vector_with_nan_stops_the_cursor_naming_the_row()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "fine", "banana", "fine");
        var output = ml.Transforms.Llm.EmbedText("Embedding", "Text", new LetterCountEmbedder()).Fit(data).Transform(data);
        var error = Assert.Throws<InvalidOperationException>(() => DataViewValues.Column<float>(output, "Embedding"));
        Assert.Contains("row 1", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void Prediction_engine_embeds_one_row()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "x");
        var model = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data);
        var engine = ml.Model.CreatePredictionEngine<TextRow, Prediction>(model);
        var vector = engine.Predict(new TextRow { Text = "A man is playing a guitar." }).Embedding;
        Assert.Equal(SentenceEmbedders.MiniLmL6V2().Embed("A man is playing a guitar."), vector, (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Workout_with_the_built_in_model()
    {
        var ml = new MLContext(seed: 1);
        EstimatorWorkout.Check(ml.Transforms.Llm.EmbedText("Embedding", "Text"), TestData.Texts(ml, "one text", "", "another text"),
            (TestData.Numbers(ml), "'Text'"), (TestData.NoTextColumn(ml), "'Text'"));
    }

    [Fact]
    public void Workout_with_a_plugged_in_embedder_loaded_through_its_declared_loader()
    {
        var ml = new MLContext(seed: 1);
        var fitted = EstimatorWorkout.Check(ml.Transforms.Llm.EmbedText("Vector", "Text", new LetterCountEmbedder(), batchSize: 2),
            TestData.Texts(ml, "abc", "zz", "", "a"), (TestData.Numbers(ml), "'Text'"));
        Assert.Equal(26, fitted.Embedder.Dimension);
    }

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var ml = new MLContext(seed: 1);
        Assert.Contains("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.EmbedText("E", "Text", new LetterCountEmbedder(), batchSize: 0)).Message);
        Assert.Contains("OutputColumnName", Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.Llm.EmbedText(" ", "Text", new LetterCountEmbedder())).ParamName);
    }
}

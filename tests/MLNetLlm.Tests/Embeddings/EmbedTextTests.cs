using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Tests.Embeddings;

public class EmbedTextTests
{
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
    public void A_huge_batch_size_reads_the_rows_there_are_without_allocating_for_the_batch_up_front()
    {
        var ml = new MLContext(seed: 1);
        var embedder = new LetterCountEmbedder();
        var data = TestData.Texts(ml, "abc", "b", "cc");

        var output = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = embedder, BatchSize = int.MaxValue }).Fit(data).Transform(data);

        Assert.Equal(3, DataViewValues.Column<float>(output, "Embedding").Count);
        Assert.Equal([3], embedder.BatchSizes); // one call with every row
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

    [Fact]
    public void The_core_needs_an_embedder_and_says_where_the_bundled_one_is()
    {
        // The core bundles no model: EmbedText without an embedder comes with MLNetLlm.Models.
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentNullException>(() => ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = null! }));
        Assert.Equal("Embedder", error.ParamName);
        Assert.Contains("MLNetLlm.Models", error.Message);
        Assert.Throws<ArgumentNullException>(() => ml.Transforms.Llm.EmbedText("Embedding", "Text", null!));
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Embeddings;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Models.Tests.Embeddings;

/// <summary>EmbedText without an embedder argument: the overload MLNetLlm.Models adds, on the bundled all-MiniLM-L6-v2.</summary>
public class BundledEmbedTextTests
{
    private sealed class Prediction
    {
        public float[] Embedding { get; set; } = [];
    }

    [Fact]
    public void EmbedText_without_an_embedder_writes_384_singles_per_row_equal_to_MiniLM_vectors()
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
    public void Workout_with_the_bundled_model()
    {
        var ml = new MLContext(seed: 1);
        EstimatorWorkout.Check(ml.Transforms.Llm.EmbedText("Embedding", "Text"), TestData.Texts(ml, "one text", "", "another text"),
            (TestData.Numbers(ml), "'Text'"), (TestData.NoTextColumn(ml), "'Text'"));
    }

    [Fact]
    public void The_options_overload_takes_the_bundled_embedder_explicitly()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "A man is playing a guitar.");
        var output = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = SentenceEmbedders.ArcticEmbedXs(), BatchSize = 8 })
            .Fit(data).Transform(data);
        Assert.Equal(SentenceEmbedders.ArcticEmbedXs().Embed("A man is playing a guitar."), DataViewValues.Column<float>(output, "Embedding")[0],
            (a, b) => Math.Abs(a - b) <= 1e-5f);
    }
}

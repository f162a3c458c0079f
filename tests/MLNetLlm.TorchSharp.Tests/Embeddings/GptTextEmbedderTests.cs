using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Embeddings;

public class GptTextEmbedderTests
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();
    private static readonly string[] Texts = ["The jury said it did find that", "Hello", "", "A much longer sentence about the city of Atlanta and its elections"];

    [Theory]
    [InlineData(EmbeddingPooling.Mean)]
    [InlineData(EmbeddingPooling.LastToken)]
    public void A_batch_gives_each_text_the_vector_it_gets_alone(EmbeddingPooling pooling)
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 3);
        using var embedder = new GptTextEmbedder(model, Gpt2, new GptTextEmbedderOptions { Pooling = pooling });
        var batch = embedder.Embed(Texts);
        for (int i = 0; i < Texts.Length; i++)
        {
            var alone = embedder.Embed(Texts[i]);
            for (int d = 0; d < alone.Length; d++)
                Assert.Equal(alone[d], batch[i][d], 1e-5f);
        }
    }

    [Fact]
    public void Mean_pooling_is_the_normalised_mean_of_the_final_hidden_states()
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 4);
        using var embedder = new GptTextEmbedder(model, Gpt2);
        var ids = Gpt2.EncodeToIds(Texts[0]).Select(i => (long)i).ToArray();

        float[] expected;
        using (no_grad())
        {
            model.eval();
            using var hidden = model.ForwardHidden(tensor(ids, [1, ids.Length]));     // (1, T, C)
            using var mean = hidden.mean([1]).squeeze(0);                            // (C)
            using var unit = mean / mean.norm();
            expected = unit.data<float>().ToArray();
        }

        var actual = embedder.Embed(Texts[0]);
        Assert.Equal(GptConfig.Tiny.EmbeddingSize, actual.Length);
        for (int d = 0; d < actual.Length; d++)
            Assert.Equal(expected[d], actual[d], 1e-5f);
    }

    [Fact]
    public void Empty_text_is_embedded_as_the_end_of_text_token()
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 5);
        using var embedder = new GptTextEmbedder(model, Gpt2);
        Assert.Equal(embedder.Embed("<|endoftext|>"), embedder.Embed(""));
        Assert.Equal(embedder.Embed(""), embedder.Embed((string?)null));
    }

    [Fact]
    public void A_tokenizer_larger_than_the_model_vocabulary_is_refused()
    {
        using var model = new GptModel(GptConfig.Tiny with { VocabularySize = 1000 }, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => new GptTextEmbedder(model, Gpt2));
        Assert.Contains("1000", error.Message);
    }

    [Fact]
    public void EmbedText_with_a_gpt_saves_and_loads_in_a_fresh_context_with_identical_vectors()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(t => new Row { Text = t }));
        using var model = new GptModel(GptConfig.Tiny, seed: 6);
        using var embedder = new GptTextEmbedder(model, Gpt2, new GptTextEmbedderOptions { Pooling = EmbeddingPooling.LastToken });

        var estimator = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder, batchSize: 3);
        var fitted = estimator.Fit(data);
        var before = Vectors(ml, fitted.Transform(data));
        Assert.Equal(GptConfig.Tiny.EmbeddingSize, ((VectorDataViewType)fitted.GetOutputSchema(data.Schema)["Embedding"].Type).Size);

        var path = Path.Combine(Path.GetTempPath(), $"gpt-embed-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(fitted, data.Schema, path);
            var fresh = new MLContext(seed: 2);
            var loaded = fresh.Model.Llm.Load(path, out _);
            Assert.Equal(before, Vectors(fresh, loaded.Transform(data)));
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[][] Vectors(MLContext ml, IDataView data) =>
        ml.Data.CreateEnumerable<Embedded>(data, reuseRowObject: false).Select(r => r.Embedding).ToArray();

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    private sealed class Embedded
    {
        public float[] Embedding { get; set; } = [];
    }
}

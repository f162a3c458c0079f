using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Persistence;

namespace MLNetLlm.Tests.Embeddings;

/// <summary>MLNetLlm embedders as Microsoft.Extensions.AI embedding generators, and any such generator feeding EmbedText.</summary>
public class EmbeddingGeneratorTests
{
    private static readonly string[] Texts = ["abc", "baobab", ""];

    [Fact]
    public async Task A_text_embedder_is_an_embedding_generator_with_the_same_vectors()
    {
        using var embedder = new LetterCountEmbedder();
        IEmbeddingGenerator<string, Embedding<float>> generator = embedder;
        var embeddings = await generator.GenerateAsync(Texts);
        Assert.Equal(embedder.Embed(Texts), embeddings.Select(e => e.Vector.ToArray()));
        Assert.All(embeddings, e => Assert.Equal("letter counts", e.ModelId));
        Assert.Equal(3f, (await generator.GenerateVectorAsync("baobab")).Span[1]);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("MLNetLlm", metadata.ProviderName);
        Assert.Equal("letter counts", metadata.DefaultModelId);
        Assert.Equal(26, metadata.DefaultModelDimensions);
        Assert.Same(embedder, generator.GetService<TextEmbedder>());
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>("key"));
        var wrong = await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(Texts, new EmbeddingGenerationOptions { Dimensions = 3 }));
        Assert.Contains("26 dimensions", wrong.Message);
    }

    [Fact]
    public void Any_embedding_generator_feeds_EmbedText_with_the_same_values()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(text => new Row { Text = text }));
        using var direct = new LetterCountEmbedder();
        using var adapted = SentenceEmbedders.FromEmbeddingGenerator(new LetterCountEmbedder(), ownsGenerator: true);
        Assert.Equal(26, adapted.Dimension);
        Assert.Contains("letter counts", adapted.Name);
        var expected = Column(ml.Transforms.Llm.EmbedText("Embedding", "Text", direct).Fit(data).Transform(data));
        var actual = Column(ml.Transforms.Llm.EmbedText("Embedding", "Text", adapted).Fit(data).Transform(data));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_generator_without_dimensions_needs_one_given_and_is_held_to_it()
    {
        var plain = new PlainGenerator(length: 4);
        Assert.Contains("pass the dimension", Assert.Throws<ArgumentException>(() => SentenceEmbedders.FromEmbeddingGenerator(plain)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SentenceEmbedders.FromEmbeddingGenerator(plain, dimension: 0));
        using var right = SentenceEmbedders.FromEmbeddingGenerator(plain, dimension: 4);
        Assert.Equal([1f, 1f, 1f, 1f], right.Embed("x"));
        using var wrong = SentenceEmbedders.FromEmbeddingGenerator(plain, dimension: 5);
        Assert.Contains("not 5", Assert.Throws<InvalidOperationException>(() => wrong.Embed("x")).Message);
        Assert.False(plain.Disposed, "the generator stays the caller's");
    }

    [Fact]
    public void A_failing_generator_is_named_in_the_error()
    {
        using var failing = SentenceEmbedders.FromEmbeddingGenerator(new PlainGenerator(4, fail: true), dimension: 4);
        var error = Assert.Throws<InvalidOperationException>(() => failing.Embed(["a", "b"]));
        Assert.Contains("PlainGenerator", error.Message);
        Assert.Contains("2 texts", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public void A_pipeline_with_an_adapter_is_not_saved_and_nothing_is_written()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Texts.Select(text => new Row { Text = text }));
        using var adapted = SentenceEmbedders.FromEmbeddingGenerator(new PlainGenerator(4), dimension: 4);
        var model = ml.Transforms.Llm.EmbedText("Embedding", "Text", adapted).Fit(data);
        using var folder = new TemporaryFolder();
        string path = folder.File("model.zip");
        var error = Assert.Throws<NotSupportedException>(() => ml.Model.Llm.Save(model, data.Schema, path));
        Assert.Contains("cannot be saved", error.Message);
        Assert.False(File.Exists(path));
    }

    private static float[][] Column(IDataView view) =>
        [.. view.GetColumn<VBuffer<float>>("Embedding").Select(vector => vector.DenseValues().ToArray())];

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    /// <summary>A generator that reports no metadata: vectors of ones, or an HTTP failure.</summary>
    private sealed class PlainGenerator(int length, bool fail = false) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public bool Disposed { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            fail
                ? throw new HttpRequestException("503 Service Unavailable")
                : Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(Enumerable.Repeat(1f, length).ToArray()))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => Disposed = true;
    }
}

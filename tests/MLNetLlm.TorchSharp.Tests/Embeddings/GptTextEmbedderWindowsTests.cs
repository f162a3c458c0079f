using System.Numerics.Tensors;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Tests.Embeddings;

/// <summary>A GPT embedder with a window of 16 tokens reading texts of about 100.</summary>
public class GptTextEmbedderWindowsTests
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();

    // Words that are one GPT-2 token with and without a leading space, so decoded windows encode back to themselves.
    private static readonly string[] Words = "the city jury said it did find that many of people were very happy with how election was run and will now go home to his family after long day at work but court could not agree on new law"
        .Split(' ').Where(w => Gpt2.EncodeToIds(w).Count == 1 && Gpt2.EncodeToIds(" " + w).Count == 1).Distinct().ToArray();

    private static string LongText(int words, int seed = 1)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
    }

    [Theory]
    [InlineData(EmbeddingPooling.Mean)]
    [InlineData(EmbeddingPooling.LastToken)]
    public void A_long_text_is_the_renormalised_length_weighted_mean_of_its_windows_embedded_one_by_one(EmbeddingPooling pooling)
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 11);
        using var embedder = new GptTextEmbedder(model, Gpt2, new GptTextEmbedderOptions { Pooling = pooling, MaxTokens = 16 });
        var text = LongText(100);
        var options = LongTextOptions.Default with { Overlap = 4 };
        var windows = TokenWindows.Split(TokenBatch.EncodeAsIs(text, Gpt2), TokenFraming.Of(Gpt2), 16, options);
        Assert.Equal(8, windows.Length); // 100 tokens stepping by 12
        var expected = new float[embedder.Dimension];
        foreach (var window in windows)
        {
            var words = Gpt2.Decode(window.Ids);
            Assert.Equal(window.Ids, TokenBatch.EncodeAsIs(words, Gpt2));
            TensorPrimitives.MultiplyAdd(embedder.Embed(words), window.TextTokens, expected, expected);
        }
        VectorPooling.NormalizeL2(expected);

        var actual = embedder.Embed([text, "short"], options)[0];
        for (int d = 0; d < expected.Length; d++)
            Assert.Equal(expected[d], actual[d], 1e-5f);
        Assert.Equal(embedder.Embed([text, "short"], options), embedder.Embed([text, "short"], options)); // deterministic
    }

    [Fact]
    public void Texts_in_one_window_are_bit_identical_to_the_first_window_only_and_null_is_empty()
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 12);
        using var embedder = new GptTextEmbedder(model, Gpt2, new GptTextEmbedderOptions { MaxTokens = 16 });
        string?[] texts = ["The jury said", "", null, "A much longer sentence about the city"];
        var windowed = embedder.Embed(texts);
        Assert.Equal(embedder.Embed(texts, LongTextOptions.FirstWindowOnly), windowed);
        Assert.Equal(windowed[1], windowed[2]);
        Assert.Equal(embedder.Embed("<|endoftext|>"), windowed[1], (a, b) => Math.Abs(a - b) <= 1e-6f); // alone vs in a batch: rounding
        Assert.Equal(embedder.Embed([LongText(16)], LongTextOptions.FirstWindowOnly), embedder.Embed([LongText(100)], LongTextOptions.FirstWindowOnly));
    }

    [Fact]
    public void MaxWindows_bounds_the_windows_and_EmbedText_saves_the_setting_with_the_GPT_embedder()
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 13);
        using var embedder = new GptTextEmbedder(model, Gpt2, new GptTextEmbedderOptions { MaxTokens = 16 });
        var bounded = new LongTextOptions { MaxWindows = 2 };
        var huge = LongText(5_000);
        var windows = TokenWindows.Split(TokenBatch.EncodeAsIs(huge, Gpt2), TokenFraming.None, 16, bounded);
        Assert.Equal(2, windows.Length);
        var expected = new float[embedder.Dimension];
        foreach (var window in windows)
            TensorPrimitives.Add(expected, embedder.Embed(Gpt2.Decode(window.Ids)), expected);
        VectorPooling.NormalizeL2(expected);
        var actual = embedder.Embed([huge], bounded)[0];
        for (int d = 0; d < expected.Length; d++)
            Assert.Equal(expected[d], actual[d], 1e-5f);

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { huge, "short" }.Select(t => new { Text = t }));
        var fitted = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = embedder, LongTexts = bounded }).Fit(data);
        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(fitted, data.Schema, folder.File("model.zip"));
        var loaded = new MLContext(seed: 2).Model.Llm.Load(folder.File("model.zip"), out _);
        Assert.Equal(DataViewValues.Column<float>(fitted.Transform(data), "Embedding"), DataViewValues.Column<float>(loaded.Transform(data), "Embedding"));
        Assert.Equal(embedder.Embed([huge, "short"], bounded), DataViewValues.Column<float>(loaded.Transform(data), "Embedding"));
        (loaded as IDisposable)?.Dispose();
    }
}

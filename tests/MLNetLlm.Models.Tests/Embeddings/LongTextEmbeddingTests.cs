using System.Numerics.Tensors;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Models.Tests.Embeddings;

/// <summary>all-MiniLM-L6-v2 (ONNX Runtime) reading texts longer than its 256 word pieces.</summary>
public class LongTextEmbeddingTests
{
    private static readonly OnnxSentenceEmbedder MiniLm = SentenceEmbedders.MiniLmL6V2();

    private static readonly string[] Common =
        ("the city jury said it did find that many of people were very happy with how election was run and mayor will now go " +
         "home to his family after long day at work but court could not agree on new law because state money school children " +
         "water river house old young man woman war peace music church street car night morning year week time great small")
        .Split(' ');

    // Words that are one word piece each, so a window of ids is a window of words.
    private static readonly Lazy<Dictionary<int, string>> SingleTokenWords = new(() => Common.Distinct()
        .Select(word => (Word: word, Ids: MiniLm.Tokenizer.EncodeToIds(word)))
        .Where(w => w.Ids.Count == 3)
        .ToDictionary(w => w.Ids[1], w => w.Word));

    /// <summary><paramref name="words"/> words in a fixed pseudo-random order: 1,000 words are 4 windows of MiniLM.</summary>
    private static string LongText(int words, int seed = 7)
    {
        var vocabulary = SingleTokenWords.Value.Values.Order(StringComparer.Ordinal).ToArray();
        Assert.True(vocabulary.Length >= 60, $"only {vocabulary.Length} single-piece words");
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
    }

    private static readonly string[] Short = ["A man is playing a guitar.", "", "Short texts fit one window.", "x"];

    [Theory]
    [InlineData(LongTextPooling.LengthWeightedMean)]
    [InlineData(LongTextPooling.Mean)]
    public void A_long_text_is_the_renormalised_mean_of_its_windows_embedded_one_by_one(LongTextPooling pooling)
    {
        var options = LongTextOptions.Default with { Pooling = pooling };
        var text = LongText(1000);
        var windows = TokenWindows.Split(TokenBatch.EncodeWhole(text, MiniLm.Tokenizer), TokenFraming.Of(MiniLm.Tokenizer), MiniLm.Options.MaxTokens, options);
        Assert.Equal(5, windows.Length); // 1,000 pieces, 254 per window stepping by 222
        var expected = new float[MiniLm.Dimension];
        foreach (var window in windows)
        {
            var words = string.Join(' ', window.Ids.Skip(1).Take(window.TextTokens).Select(id => SingleTokenWords.Value[id]));
            Assert.Equal(window.Ids, TokenBatch.EncodeWhole(words, MiniLm.Tokenizer));
            float weight = pooling == LongTextPooling.Mean ? 1 : window.TextTokens;
            TensorPrimitives.MultiplyAdd(MiniLm.Embed(words), weight, expected, expected);
        }
        VectorPooling.NormalizeL2(expected);

        var actual = MiniLm.Embed([text], options)[0];
        Assert.Equal(1f, TensorPrimitives.Norm(actual), 1e-5f);
        for (int d = 0; d < expected.Length; d++)
            Assert.Equal(expected[d], actual[d], 1e-5f);
        Assert.True(TensorPrimitives.CosineSimilarity(actual, MiniLm.Embed([text], LongTextOptions.FirstWindowOnly)[0]) < 0.999f, "the windows after the first changed nothing");
    }

    [Fact]
    public void Texts_that_fit_one_window_get_bit_identical_vectors_to_the_first_window_only()
    {
        var windowed = MiniLm.Embed(Short);
        Assert.Equal(MiniLm.Embed(Short, LongTextOptions.FirstWindowOnly), windowed);
        Assert.Equal(MiniLm.Embed(Short, LongTextOptions.Default with { MaxWindows = 1 }), windowed);
    }

    [Fact]
    public void Null_and_empty_texts_are_the_empty_text_among_long_ones()
    {
        var vectors = MiniLm.Embed([null, "", LongText(700), " "]);
        Assert.Equal(vectors[0], vectors[1]);
        Assert.Equal(vectors[0], vectors[3]);
        Assert.Equal(MiniLm.Embed([""], LongTextOptions.FirstWindowOnly)[0], vectors[0]);
    }

    [Fact]
    public void MaxWindows_bounds_a_huge_text_to_windows_spread_over_all_of_it()
    {
        var huge = LongText(20_000, seed: 3); // 90 windows unbounded
        var bounded = LongTextOptions.Default with { MaxWindows = 4 };
        var windows = TokenWindows.Split(TokenBatch.EncodeWhole(huge, MiniLm.Tokenizer), TokenFraming.Of(MiniLm.Tokenizer), 256, bounded);
        Assert.Equal(4, windows.Length);
        var expected = new float[MiniLm.Dimension];
        foreach (var window in windows)
            TensorPrimitives.Add(expected, MiniLm.Embed(string.Join(' ', window.Ids.Skip(1).Take(254).Select(id => SingleTokenWords.Value[id]))), expected);
        VectorPooling.NormalizeL2(expected); // full windows: weighted and plain mean agree
        var actual = MiniLm.Embed([huge], bounded)[0];
        for (int d = 0; d < expected.Length; d++)
            Assert.Equal(expected[d], actual[d], 1e-5f);
        Assert.Equal(MiniLm.Embed([huge], LongTextOptions.FirstWindowOnly)[0], MiniLm.Embed([huge], LongTextOptions.Default with { MaxWindows = 1 })[0]);
    }

    [Fact]
    public void Embedding_is_deterministic_and_a_text_hardly_depends_on_its_batch()
    {
        var texts = new[] { LongText(900), Short[0], LongText(300, seed: 5) };
        var first = MiniLm.Embed(texts);
        Assert.Equal(first, MiniLm.Embed(texts)); // bit for bit
        for (int i = 0; i < texts.Length; i++)
        {
            var alone = MiniLm.Embed(texts[i]);
            for (int d = 0; d < alone.Length; d++)
                Assert.Equal(alone[d], first[i][d], 1e-5f);
        }
    }

    [Fact]
    public void EmbedText_saves_and_loads_its_long_text_setting_with_the_bundled_model()
    {
        var ml = new MLContext(seed: 1);
        var texts = new[] { LongText(800), "short" };
        var data = TestData.Texts(ml, texts);
        var options = new LongTextOptions { Pooling = LongTextPooling.Mean, Overlap = 10, MaxWindows = 2 };
        var model = ml.Transforms.Llm.EmbedText(new EmbedTextOptions { Embedder = MiniLm, LongTexts = options }).Fit(data);
        var vectors = DataViewValues.Column<float>(model.Transform(data), "Embedding");
        Assert.Equal(MiniLm.Embed(texts, options), vectors);

        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(model, data.Schema, folder.File("model.zip"));
        var loaded = new MLContext(seed: 2).Model.Llm.Load(folder.File("model.zip"), out _);
        Assert.Equal(vectors, DataViewValues.Column<float>(loaded.Transform(data), "Embedding"));
    }

    [Fact]
    public void A_pipeline_saved_before_windows_existed_still_reads_the_first_window_only()
    {
        var saved = Path.Combine(AppContext.BaseDirectory, "Saved", "embedtext-minilm-saved-by-core.zip");
        var ml = new MLContext(seed: 1);
        var texts = new[] { LongText(800), "short" };
        var loaded = ml.Model.Llm.Load(saved, out _);
        Assert.Equal(MiniLm.Embed(texts, LongTextOptions.FirstWindowOnly), DataViewValues.Column<float>(loaded.Transform(TestData.Texts(ml, texts)), "Embedding"));
    }
}

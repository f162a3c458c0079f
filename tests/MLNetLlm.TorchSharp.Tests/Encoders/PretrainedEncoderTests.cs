using MLNetLlm.TorchSharp.Embeddings;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

// Live-tensor counts are per thread, but loading MiniLM twice at once doubles the memory: run these one at a time.
[CollectionDefinition(nameof(PretrainedEncoderTests), DisableParallelization = true)]
public class PretrainedEncoderCollection;

[Collection(nameof(PretrainedEncoderTests))]
public class PretrainedEncoderTests
{
    private static readonly Lazy<PretrainedEncoder> MiniLm = new(() => PretrainedEncoders.MiniLmL6V2());

    [Fact]
    public void Embedding_is_deterministic_across_calls_batch_sizes_and_fresh_loads()
    {
        var texts = EncoderTexts.Sentences.Take(20).ToArray();
        var first = MiniLm.Value.Embed(texts, batchSize: 8);
        Assert.Equal(first, MiniLm.Value.Embed(texts, batchSize: 8)); // bit for bit
        using var fresh = PretrainedEncoders.MiniLmL6V2();
        Assert.Equal(first, fresh.Embed(texts, batchSize: 8));

        var oneByOne = fresh.Embed(texts, batchSize: 1); // no padding at all: equal up to rounding
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(oneByOne[i], first[i], (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Repeated_batches_keep_the_live_tensor_count_flat()
    {
        var texts = EncoderTexts.Sentences.Take(24).ToArray();
        var encoder = MiniLm.Value;
        encoder.Embed(texts, batchSize: 8); // warm-up
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();
        for (int round = 0; round < 10; round++)
        {
            encoder.Embed(texts, batchSize: 8);
            live.Add(statistics.ThreadTotalLiveCount);
        }
        Assert.All(live, count => Assert.Equal(0, count)); // every tensor of every batch died with its scope
        Assert.True(statistics.CreatedInScopeCount > 0);
        Assert.Equal(statistics.CreatedInScopeCount + statistics.AttachedToScopeCount - statistics.DetachedFromScopeCount, statistics.DisposedInScopeCount);
    }

    [Fact]
    public void Vectors_have_unit_length_and_empty_or_null_text_is_cls_sep()
    {
        var vectors = MiniLm.Value.Embed([null, "", " ", "A man is playing a guitar."], batchSize: 4);
        Assert.Equal(384, MiniLm.Value.Dimension);
        Assert.All(vectors, v => Assert.Equal(1f, TensorPrimitives.Norm(v), 1e-5f));
        // The same ids in other rows of a batch (windows run grouped by length): equal up to the kernels' rounding.
        Assert.Equal(vectors[0], vectors[1], (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.Equal(vectors[1], vectors[2], (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.Equal(SentenceEmbedders.MiniLmL6V2().Embed(""), vectors[1], (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void With_the_first_window_only_texts_longer_than_the_limit_are_cut_keeping_the_final_separator()
    {
        string Hellos(int n) => string.Join(' ', Enumerable.Repeat("hello", n));
        var vectors = MiniLm.Value.Embed([Hellos(700), Hellos(254), Hellos(253)], batchSize: 3, LongTextOptions.FirstWindowOnly); // 700 words: past the 512 positions too
        Assert.Equal(vectors[1], vectors[0], (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.NotEqual(vectors[2], vectors[0]);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLm.Value.Embed(["x"], batchSize: 0));
        Assert.Throws<ArgumentNullException>(() => MiniLm.Value.Embed(null!, batchSize: 1));
        using var folder = new EncoderFolder();
        File.WriteAllLines(folder.File("vocab.txt"), TinyBert.Vocabulary);
        var tokenizer = MLNetLlm.Tokenization.LlmTokenizers.WordPiece(folder.File("vocab.txt"));
        using var small = new MLNetLlm.TorchSharp.Modeling.BertModel(TinyBert.Config with { VocabularySize = 50 }, seed: 1);
        Assert.Contains("has 100 ids but the model embeds only 50", Assert.Throws<ArgumentException>(() => new PretrainedEncoder(small, tokenizer)).Message);
        using var tiny = TinyBert.Model(seed: 1);
        Assert.Throws<ArgumentException>(() => new PretrainedEncoder(tiny, tokenizer, maxTokens: 65));
    }

    [Fact]
    public void EmbedText_with_an_encoder_saves_and_loads_in_a_fresh_context_with_identical_vectors()
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 31))
            TinyBert.WriteFolder(original, folder.Path);
        using var encoder = PretrainedEncoders.FromHuggingFace(folder.Path, EmbeddingPooling.FirstToken);
        string[] texts = ["the cat sat on the mat", "a dog ran", "", "the sun is red at night and the sky is blue"];
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t }));

        var fitted = ml.Transforms.Llm.EmbedText("Embedding", "Text", encoder, batchSize: 3).Fit(data);
        var before = Vectors(ml, fitted.Transform(data));
        Assert.Equal(encoder.Embed(texts, batchSize: 2), before, (a, b) => a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5f)); // other batches: rounding

        var path = folder.File("pipeline.zip");
        ml.Model.Llm.Save(fitted, data.Schema, path);
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Llm.Load(path, out _);
        Assert.Equal(before, Vectors(fresh, loaded.Transform(data)));
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_bundled_encoder_saves_its_name_only()
    {
        using var folder = new EncoderFolder();
        MiniLm.Value.SaveTo(folder.Path);
        Assert.Equal(["encoder.json"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        using var loaded = (PretrainedEncoder)new PretrainedEncoder.Loader().Load(folder.Path);
        Assert.Equal(MiniLm.Value.Embed(["a short text"], 1), loaded.Embed(["a short text"], 1));
        Assert.Equal(PretrainedEncoders.MiniLmL6V2Name, loaded.Name);
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

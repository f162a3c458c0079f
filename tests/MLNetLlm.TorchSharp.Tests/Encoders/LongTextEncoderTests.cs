using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Tests.Onnx;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>The TorchSharp MiniLM reading whole Brown documents (about 2,000 words, 10 windows) as the ONNX MiniLM does.</summary>
[Collection(nameof(PretrainedEncoderTests))]
public class LongTextEncoderTests
{
    /// <summary>The first Brown documents, real prose of about 2,000 words each (cached by MLNetLlm.Datasets).</summary>
    internal static readonly Lazy<string[]> BrownDocuments = new(() =>
        [.. new MLContext(seed: 1).Data.Llm.LoadBrownCorpus().GetColumn<string>("Text").Take(4)]);

    [Fact]
    public void TorchSharp_and_ONNX_MiniLM_agree_on_whole_Brown_documents()
    {
        var documents = BrownDocuments.Value;
        var onnx = SentenceEmbedders.MiniLmL6V2();
        Assert.All(documents, d => Assert.True(TokenBatch.EncodeWhole(d, onnx.Tokenizer).Count > 4 * 256, "a Brown document spans several windows"));
        using var torch = PretrainedEncoders.MiniLmL6V2();
        foreach (var options in new[] { LongTextOptions.Default, LongTextOptions.Default with { Pooling = LongTextPooling.Mean, MaxWindows = 3 }, LongTextOptions.FirstWindowOnly })
        {
            var expected = onnx.Embed(documents, options);
            var actual = torch.Embed(documents, batchSize: 3, options);
            for (int i = 0; i < documents.Length; i++)
                Parity.AssertClose(expected[i], actual[i], $"document {i}, {options.Pooling}, at most {options.MaxWindows} windows", 1e-4);
        }
    }

    [Fact]
    public void Short_texts_are_bit_identical_to_the_first_window_only_and_batches_barely_matter()
    {
        using var torch = PretrainedEncoders.MiniLmL6V2();
        var texts = EncoderTexts.Sentences.Take(10).Append("").Append(null).ToArray();
        var windowed = torch.Embed(texts, batchSize: 4);
        Assert.Equal(torch.Embed(texts, batchSize: 4, LongTextOptions.FirstWindowOnly), windowed);
        Assert.Equal(windowed[^2], windowed[^1]); // null is the empty text

        string[] mixed = [BrownDocuments.Value[0], "short", BrownDocuments.Value[1]];
        var byTwo = torch.Embed(mixed, batchSize: 2);
        Assert.Equal(byTwo, torch.Embed(mixed, batchSize: 2)); // deterministic
        var alone = mixed.Select(t => torch.Embed([t], batchSize: 8)[0]).ToArray();
        for (int i = 0; i < mixed.Length; i++)
            Parity.AssertClose(alone[i], byTwo[i], $"text {i} alone vs in a batch", 1e-5);
    }
}

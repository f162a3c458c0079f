using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Tests.Encoders;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

[Collection(TrainingCollection.Name)]
public class EncoderOnnxExportTests
{
    // Mixed lengths in one padded batch, an empty text ([CLS] [SEP]) among them.
    private static readonly string[] TinyTexts = ["the cat", "a red dog is on the mat at night", "", "man", "cats and dogs sat on the blue mat"];

    [Fact]
    public void TinyEncoder_ExportedThroughTheCatalog_EmbedsLikeTorchSharp_InEmbedTextWithOnnx()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        Check(encoder, TinyTexts, "tiny encoder");
    }

    [Fact]
    public void MiniLm_ExportedAsAnEmbedder_EqualsPretrainedEncodersMiniLm_OnRealText()
    {
        using var encoder = PretrainedEncoders.MiniLmL6V2();
        Check(encoder, [.. EncoderTexts.Sentences.Take(6), ""], "all-MiniLM-L6-v2");
    }

    [Fact]
    public void MiniLm_Export_ReadsWholeBrownDocumentsInWindows_AsPretrainedEncoderDoes()
    {
        using var encoder = PretrainedEncoders.MiniLmL6V2();
        Check(encoder, [.. LongTextEncoderTests.BrownDocuments.Value.Take(2), "short", ""], "all-MiniLM-L6-v2, Brown documents in windows");
    }

    private static void Check(PretrainedEncoder encoder, string[] texts, string what)
    {
        var ml = new MLContext(seed: 1);
        var input = ml.Data.LoadFromEnumerable(texts.Select(t => new { Text = t }));
        var embed = ml.Transforms.Llm.EmbedText("Embedding", "Text", encoder).Fit(input);
        using var folder = new TemporaryFolder();
        var path = folder.File("encoder.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(embed, path);
        if (texts.Any(t => encoder.Tokenizer.EncodeToIds(t).Count > encoder.MaxTokens))
            Assert.Equal(LongTextPooling.LengthWeightedMean, embed.LongTexts.Pooling); // both sides read long texts in windows

        Assert.Equal(LlmOnnxKind.Embedder, metadata.Kind);
        using (var opened = LlmOnnxModel.Open(path)) // the stored WordPiece tokenizer round-trips and passes the fingerprint check
            Assert.Equal(texts.Select(t => encoder.Tokenizer.EncodeToIds(t)), texts.Select(t => opened.Tokenizer.EncodeToIds(t)));
        var torch = DataViewValues.Column<float>(embed.Transform(input), "Embedding").SelectMany(v => v).ToArray();
        var onnx = DataViewValues.Column<float>(ml.Transforms.Llm.EmbedTextWithOnnx("Embedding", path, sequenceLength: encoder.MaxTokens).Fit(input).Transform(input), "Embedding")
            .SelectMany(v => v).ToArray();
        double diff = Parity.AssertClose(torch, onnx, $"{what} embeddings, TorchSharp vs ONNX");
        Console.WriteLine($"{what} embedder ONNX parity: max abs diff {diff:g3}");
    }
}

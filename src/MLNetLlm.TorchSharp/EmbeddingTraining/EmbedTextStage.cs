using MLNetLlm.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// The <c>EmbedText</c> transformer over a trained encoder, made through the public catalog (its constructor belongs
/// to the core): <c>EmbedText(...).Fit</c> only checks the text column, so it is fitted on an empty view of one.
/// </summary>
internal static class EmbedTextStage
{
    public static EmbedTextTransformer Create(IHostEnvironment environment, TextEmbedder embedder, string input, string output, int batchSize)
    {
        var ml = environment as MLContext ?? new MLContext();
        var definition = SchemaDefinition.Create(typeof(TextRow));
        definition[0].ColumnName = input;
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<TextRow>(), definition);
        return ml.Transforms.Llm.EmbedText(output, input, embedder, batchSize).Fit(empty);
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}

using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>ONNX export on ML.NET's model catalog: <c>mlContext.Model.Llm.ExportOnnx(transformer, "model.onnx")</c>.</summary>
public static class LlmModelCatalogOnnx
{
    extension(LlmModelCatalog catalog)
    {
        /// <summary>
        /// Exports the model inside <paramref name="transformer"/> to ONNX with <see cref="OnnxExporter"/>: a
        /// <see cref="GptTransformer"/> (as <see cref="OnnxExportOptions.Kind"/> says: logits, or with past
        /// key/values, or an embedder), a fine-tuned classifier (<see cref="TextClassifierTransformer"/>, made by
        /// <c>FineTuneGpt</c>, <c>FineTuneEncoder</c>), or an <c>EmbedText</c> transformer over a <see cref="GptTextEmbedder"/> or a
        /// <see cref="PretrainedEncoder"/>. For a chain (what
        /// <c>Fit</c> returns for a pipeline), its last exportable transformer is exported; stages before it, such as
        /// <c>Tokenize</c>, are not part of the graph (the tokenizer travels in the model's metadata instead).
        /// </summary>
        /// <param name="transformer">A fitted transformer or chain.</param>
        /// <param name="path">The .onnx file to write.</param>
        /// <param name="options">What to write; null for the defaults.</param>
        /// <returns>The metadata stored in the model.</returns>
        /// <exception cref="NotSupportedException">Nothing in <paramref name="transformer"/> can be exported (the message names what was found).</exception>
        /// <exception cref="InvalidOperationException">The GPT has no tokenizer, or its weights are not finite.</exception>
        /// <exception cref="ObjectDisposedException">The transformer was disposed.</exception>
        /// <exception cref="IOException">The path cannot be written; what was there is unchanged.</exception>
        public LlmOnnxMetadata ExportOnnx(ITransformer transformer, string path, OnnxExportOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(transformer);
            var stages = transformer is IEnumerable<ITransformer> chain ? [.. chain] : new List<ITransformer> { transformer };
            var exportable = stages.LastOrDefault(IsExportable)
                ?? throw new NotSupportedException($"Nothing in {Describe(stages)} exports to ONNX: give a fitted GPT (PretrainGpt, LoadGpt), a fine-tuned classifier (FineTuneGpt, FineTuneEncoder) or an EmbedText transformer over a GptTextEmbedder or a PretrainedEncoder.");
            return exportable switch
            {
                GptTransformer gpt => OnnxExporter.Export(gpt.Model,
                    gpt.Tokenizer ?? throw new InvalidOperationException("This GPT has no tokenizer, and an exported model must carry one to be scored from text. Train or load it with a tokenizer."),
                    path, options),
                TextClassifierTransformer classifier => OnnxExporter.ExportClassifier(classifier.Classifier,
                    classifier.Tokenizer ?? throw new InvalidOperationException("This classifier was trained on token ids without a tokenizer, and an exported model must carry one to be scored from text. Fine-tune it on a text column."),
                    classifier.ClassLabels, path, options, classifier.MaximumLength),
                EmbedTextTransformer { Embedder: GptTextEmbedder embedder } => embedder.ExportToOnnx(path, options),
                EmbedTextTransformer { Embedder: PretrainedEncoder encoder } => encoder.ExportToOnnx(path, options),
                _ => throw new NotSupportedException($"{exportable.GetType().Name} does not export to ONNX."),
            };
        }
    }

    private static bool IsExportable(ITransformer transformer) =>
        transformer is GptTransformer or TextClassifierTransformer or EmbedTextTransformer { Embedder: GptTextEmbedder or PretrainedEncoder };

    private static string Describe(IReadOnlyList<ITransformer> stages) => stages.Count switch
    {
        0 => "an empty chain",
        1 => stages[0] is EmbedTextTransformer embed ? $"an EmbedText transformer over {embed.Embedder.Name}" : $"a {stages[0].GetType().Name}",
        _ => $"a chain of {string.Join(", ", stages.Select(s => s.GetType().Name))}",
    };
}

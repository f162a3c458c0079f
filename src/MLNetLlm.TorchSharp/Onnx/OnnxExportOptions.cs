using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>What <see cref="OnnxExporter"/> writes.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The 2 GB protobuf limit: above it, weights must live in a file beside the model.</summary>
    public const long TwoGigabytes = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// For a GPT, which graph: <see cref="LlmOnnxKind.GptLogits"/> (the default; ids and mask to logits of every position),
    /// <see cref="LlmOnnxKind.GptWithPast"/> (past key/values in, present key/values out, for generation) or
    /// <see cref="LlmOnnxKind.Embedder"/> (ids and mask to one pooled vector, as <see cref="Pooling"/> and
    /// <see cref="Normalize"/> say). Null (the default) means the model's own kind: logits for a GPT, a classifier for a
    /// classifier, an embedder for an embedder; a classifier or an embedder refuses any other kind.
    /// </summary>
    public LlmOnnxKind? Kind { get; init; }

    /// <summary>How a GPT exported as an <see cref="LlmOnnxKind.Embedder"/> pools its token states; mean by default.</summary>
    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Whether a GPT exported as an <see cref="LlmOnnxKind.Embedder"/> scales vectors to length 1; true by default.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>How the weights are stored; float32 by default.</summary>
    public OnnxWeightType WeightType { get; init; } = OnnxWeightType.Float32;

    /// <summary>
    /// When the weights take more bytes than this, they are written to <c>&lt;model file&gt;.data</c> beside the model
    /// (ONNX external data, which ONNX Runtime reads from the model's folder). Default: 2 GB, the most a protobuf file holds.
    /// </summary>
    public long ExternalDataThreshold { get; init; } = TwoGigabytes;

    /// <summary>
    /// For <see cref="LlmOnnxKind.GptWithPast"/> only: also write <c>genai_config.json</c>, <c>tokenizer.json</c> and
    /// <c>tokenizer_config.json</c> beside the model, so its folder runs in ONNX Runtime GenAI (<c>new Model(folder)</c>).
    /// Needs a GPT-2-style byte-level BPE tokenizer with an end-of-text token. False by default.
    /// </summary>
    public bool WriteGenAiConfig { get; init; }

    /// <summary>Checks the options for a model whose own kind is <paramref name="natural"/>; returns the kind to export.</summary>
    internal LlmOnnxKind Validate(LlmOnnxKind natural)
    {
        var kind = Kind ?? natural;
        bool fits = natural == LlmOnnxKind.GptLogits ? kind is not LlmOnnxKind.Classifier : kind == natural;
        if (!fits)
            throw new ArgumentException(natural == LlmOnnxKind.GptLogits
                ? $"OnnxExportOptions.Kind must be GptLogits, GptWithPast or Embedder for a GPT; it is {kind}. A classifier is exported with ExportClassifier, from a fine-tuned classifier."
                : $"OnnxExportOptions.Kind is {kind}, but the model is a {natural}: leave Kind null or set it to {natural}.", nameof(Kind));
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentException($"OnnxExportOptions.Pooling {Pooling} is unknown.", nameof(Pooling));
        if (!Enum.IsDefined(WeightType))
            throw new ArgumentException($"OnnxExportOptions.WeightType {WeightType} is unknown.", nameof(WeightType));
        if (ExternalDataThreshold < 0)
            throw new ArgumentException($"OnnxExportOptions.ExternalDataThreshold must be at least 0; it is {ExternalDataThreshold}.", nameof(ExternalDataThreshold));
        if (WriteGenAiConfig && kind != LlmOnnxKind.GptWithPast)
            throw new ArgumentException($"OnnxExportOptions.WriteGenAiConfig needs Kind = GptWithPast (GenAI generates with past key/values); Kind is {kind}.", nameof(WriteGenAiConfig));
        return kind;
    }
}

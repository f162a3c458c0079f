using MLNetLlm.Onnx;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>What <see cref="GptOnnxExporter"/> writes.</summary>
public sealed record GptOnnxExportOptions
{
    /// <summary>The 2 GB protobuf limit: above it, weights must live in a file beside the model.</summary>
    public const long TwoGigabytes = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// For a GPT, which graph: <see cref="LlmOnnxKind.GptLogits"/> (the default; ids and mask to logits of every position)
    /// or <see cref="LlmOnnxKind.GptWithPast"/> (past key/values in, present key/values out, for generation). Classifiers
    /// and embedders have their own export methods and ignore it.
    /// </summary>
    public LlmOnnxKind Kind { get; init; } = LlmOnnxKind.GptLogits;

    /// <summary>How the weights are stored; float32 by default.</summary>
    public OnnxWeightType WeightType { get; init; } = OnnxWeightType.Float32;

    /// <summary>
    /// When the weights take more bytes than this, they are written to <c>&lt;model file&gt;.data</c> beside the model
    /// (ONNX external data, which ONNX Runtime reads from the model's folder). Default: 2 GB, the most a protobuf file holds.
    /// </summary>
    public long ExternalDataThreshold { get; init; } = TwoGigabytes;

    internal void Validate(bool forGpt)
    {
        if (forGpt && Kind is not (LlmOnnxKind.GptLogits or LlmOnnxKind.GptWithPast))
            throw new ArgumentException($"GptOnnxExportOptions.Kind must be GptLogits or GptWithPast for a GPT; it is {Kind}. Use ExportClassifier or ExportEmbedder for the other kinds.", nameof(Kind));
        if (!Enum.IsDefined(WeightType))
            throw new ArgumentException($"GptOnnxExportOptions.WeightType {WeightType} is unknown.", nameof(WeightType));
        if (ExternalDataThreshold < 0)
            throw new ArgumentException($"GptOnnxExportOptions.ExternalDataThreshold must be at least 0; it is {ExternalDataThreshold}.", nameof(ExternalDataThreshold));
    }
}

using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// Exports our models to ONNX (opset 17) for scoring with ONNX Runtime alone: a GPT (logits, or with past key/values
/// for generation), a fine-tuned <see cref="TextClassifier"/> and a text embedder over any backbone whose family has
/// an ONNX graph (<see cref="IOnnxBackboneGraph"/>). Inputs and outputs are
/// named as in <see cref="LlmOnnxNames"/>; the model's metadata holds an <see cref="LlmOnnxMetadata"/> with the
/// tokenizer, so the file alone is enough to score text.
/// </summary>
/// <remarks>
/// Every graph takes <c>input_ids</c> and <c>attention_mask</c> (int64, 1 = real token, 0 = padding) with dynamic batch
/// and sequence axes, and computes what the TorchSharp model computes on the real tokens. For a GPT, positions count real tokens
/// only and no token attends to padding, so left or right padding both work. A sequence longer than the model's
/// context length makes ONNX Runtime fail in the positional-embedding <c>Gather</c> (index out of bounds); the scorer
/// checks <see cref="LlmOnnxMetadata.ContextLength"/> first. The file is written to a temporary name and moved into
/// place, so a failed export leaves an existing file as it was.
/// </remarks>
public static partial class OnnxExporter
{
    /// <summary>The ONNX operator set of every exported model.</summary>
    public const int Opset = OnnxGraphBuilder.Opset;

    /// <summary>
    /// Exports <paramref name="model"/> as <see cref="OnnxExportOptions.Kind"/> says: <see cref="LlmOnnxKind.GptLogits"/>,
    /// <see cref="LlmOnnxKind.GptWithPast"/>, or <see cref="LlmOnnxKind.Embedder"/> (as <see cref="ExportEmbedder(ITextBackbone, LlmTokenizer, EmbeddingPooling, bool, string, OnnxExportOptions?)"/>
    /// with the options' pooling and normalisation).
    /// </summary>
    /// <param name="model">The GPT; it stays as it is.</param>
    /// <param name="tokenizer">The tokenizer of its ids, stored in the model.</param>
    /// <param name="path">The .onnx file to write (its folder is created).</param>
    /// <param name="options">What to write; null for logits in float32.</param>
    /// <returns>The metadata stored in the model.</returns>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    /// <exception cref="ArgumentException">The tokenizer does not fit the model, or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite.</exception>
    /// <exception cref="IOException">The path cannot be written; what was there is unchanged.</exception>
    public static LlmOnnxMetadata Export(GptModel model, LlmTokenizer tokenizer, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new();
        var kind = options.Validate(LlmOnnxKind.GptLogits);
        if (kind == LlmOnnxKind.Embedder) return ExportEmbedder(model, tokenizer, options.Pooling, options.Normalize, path, options with { Kind = null });
        var parameters = Prepare(model, model, tokenizer, path, "GPT model");
        var genAiTokenizer = options.WriteGenAiConfig ? GenAiFiles.RequireTokenizer(tokenizer) : null;
        var g = new OnnxGraphBuilder(kind == LlmOnnxKind.GptWithPast ? "gpt_with_past" : "gpt_logits");
        var gpt = new GptOnnxGraph(g, new OnnxWeights(g, parameters, "", options.WeightType, LoraScale(Lora.SettingsOf(model))), model.Config);
        if (kind == LlmOnnxKind.GptWithPast) BuildWithPast(g, gpt);
        else
        {
            var (ids, _, hidden) = PaddedInput(g, gpt);
            g.Output(LlmOnnxNames.Logits, gpt.Logits(hidden, ids), DataType.Float, Batch, Sequence, model.Config.VocabularySize);
        }
        string doc = kind == LlmOnnxKind.GptWithPast
            ? "MLNetLlm GPT with past key/values: input ids, positions and the mask over past + new tokens to next-token logits and the updated key/values."
            : "MLNetLlm GPT: token ids and attention mask (left or right padding) to next-token logits at every position.";
        var metadata = Write(g, options, path, doc, Metadata(kind, tokenizer, model));
        if (genAiTokenizer is not null) GenAiFiles.Write(path, model.Config, genAiTokenizer);
        return metadata;
    }

    /// <summary>Exports a fine-tuned classifier: right- (or left-, for a GPT) padded ids and mask to class probabilities and logits.</summary>
    /// <param name="classifier">The classifier; LoRA adapters, if any, are folded into the exported weights (the classifier itself is left as it is).</param>
    /// <param name="tokenizer">The tokenizer it was trained with.</param>
    /// <param name="classLabels">The class labels in score order, one per class.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="options">Weight type and external data; <see cref="OnnxExportOptions.Kind"/> null or the kind exported.</param>
    /// <param name="maximumLength">
    /// The most tokens a text is read with, recorded as the model's <see cref="LlmOnnxMetadata.ContextLength"/> so
    /// <c>ClassifyWithOnnx</c> cuts texts where the classifier was trained to (a fine-tuned transformer's
    /// <c>MaximumLength</c>); the backbone's positions when null.
    /// </param>
    /// <exception cref="ArgumentException">The labels do not match the classes, or the tokenizer the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumLength"/> is outside [1, the backbone's positions].</exception>
    /// <exception cref="NotSupportedException">The classifier's backbone family has no ONNX graph.</exception>
    public static LlmOnnxMetadata ExportClassifier(TextClassifier classifier, LlmTokenizer tokenizer, IReadOnlyList<string> classLabels, string path,
        OnnxExportOptions? options = null, int? maximumLength = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(classLabels);
        if (maximumLength is < 1 || maximumLength > classifier.Backbone.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(maximumLength), maximumLength, $"maximumLength must be in [1, {classifier.Backbone.MaxLength}] (the backbone's positions).");
        options ??= new();
        options.Validate(LlmOnnxKind.Classifier);
        if (classLabels.Count != classifier.ClassCount || classLabels.Any(string.IsNullOrEmpty))
            throw new ArgumentException($"Give one non-empty label per class: the classifier has {classifier.ClassCount} classes, the labels are [{string.Join(", ", classLabels)}].", nameof(classLabels));
        var backbone = classifier.Backbone;
        var parameters = Prepare(classifier, backbone, tokenizer, path, "classifier");
        var g = new OnnxGraphBuilder($"{backbone.Family.ToString().ToLowerInvariant()}_classifier");
        var graph = OnnxBackboneGraphs.Create(g, new OnnxWeights(g, parameters, "transformer.", options.WeightType, LoraScale(classifier.LoraSettings)), backbone);
        var head = new OnnxWeights(g, parameters, "", options.WeightType);
        var (_, mask, hidden) = PaddedInput(g, graph);
        var pooled = OnnxPooling.Pool(g, hidden, mask, classifier.Pooling);                       // (B, C)
        var logits = g.Add(g.MatMul(pooled, head.Transposed("score.weight")), head.AsIs("score.bias")); // (B, classes)
        g.Output(LlmOnnxNames.Probabilities, g.Softmax(logits), DataType.Float, Batch, classifier.ClassCount);
        g.Output(LlmOnnxNames.Logits, logits, DataType.Float, Batch, classifier.ClassCount);
        var metadata = Metadata(LlmOnnxKind.Classifier, tokenizer, backbone) with
        {
            ContextLength = maximumLength ?? backbone.MaxLength,
            ClassLabels = [.. classLabels],
            Pooling = classifier.Pooling.ToString(),
        };
        return Write(g, options, path, $"MLNetLlm {backbone.Family} classifier ({classifier.ClassCount} classes, {classifier.Pooling} pooling): token ids and attention mask to class probabilities and logits.", metadata);
    }

    /// <summary>Exports a text embedder over <paramref name="backbone"/>: ids and mask to the pooled final hidden states.</summary>
    /// <param name="backbone">The model: a GPT, or another family with an ONNX graph.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="pooling">Mean, last real token or first real token.</param>
    /// <param name="normalize">Whether vectors are scaled to length 1 (a zero vector stays zero).</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="options">Weight type and external data; <see cref="OnnxExportOptions.Kind"/> null or the kind exported.</param>
    /// <exception cref="NotSupportedException">The backbone's family has no ONNX graph.</exception>
    public static LlmOnnxMetadata ExportEmbedder(ITextBackbone backbone, LlmTokenizer tokenizer, EmbeddingPooling pooling, bool normalize, string path,
        OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (!Enum.IsDefined(pooling)) throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        options ??= new();
        options.Validate(LlmOnnxKind.Embedder);
        var parameters = Prepare(backbone.Module, backbone, tokenizer, path, "model");
        var g = new OnnxGraphBuilder($"{backbone.Family.ToString().ToLowerInvariant()}_embedder");
        var graph = OnnxBackboneGraphs.Create(g, new OnnxWeights(g, parameters, "", options.WeightType, LoraScale(Lora.SettingsOf(backbone))), backbone);
        var (_, mask, hidden) = PaddedInput(g, graph);
        var vector = OnnxPooling.Pool(g, hidden, mask, pooling);                                  // (B, C)
        if (normalize) vector = OnnxPooling.NormalizeL2(g, vector);
        g.Output(LlmOnnxNames.Embedding, vector, DataType.Float, Batch, backbone.HiddenSize);
        var metadata = Metadata(LlmOnnxKind.Embedder, tokenizer, backbone) with { Pooling = pooling.ToString(), Normalized = normalize };
        return Write(g, options, path, $"MLNetLlm {backbone.Family} text embedder ({pooling} pooling{(normalize ? ", L2-normalised" : "")}): token ids and attention mask to one vector per text.", metadata);
    }

    internal const string Batch = "batch";
    internal const string Sequence = "sequence";
    internal const string PastSequence = "past_sequence";
    internal const string TotalSequence = "total_sequence";

    // The common input of every kind but with-past: ids and mask, then the backbone's hidden states.
    private static (string Ids, string Mask, string Hidden) PaddedInput(OnnxGraphBuilder g, IOnnxBackboneGraph backbone)
    {
        var ids = g.Input(LlmOnnxNames.InputIds, DataType.Int64, Batch, Sequence);
        var mask = g.Input(LlmOnnxNames.AttentionMask, DataType.Int64, Batch, Sequence);
        return (ids, mask, backbone.Hidden(ids, mask));
    }

    // The with-past contract of every decoder family: ids, positions, the mask over past + new tokens and each layer's
    // past keys/values in; logits and each layer's present keys/values out.
    private static void BuildWithPast(OnnxGraphBuilder g, IOnnxDecoderGraph decoder)
    {
        var (layers, kvHeads, headSize, vocabularySize) = decoder.Shape;
        var ids = g.Input(LlmOnnxNames.InputIds, DataType.Int64, Batch, Sequence);
        var mask = g.Input(LlmOnnxNames.AttentionMask, DataType.Int64, Batch, TotalSequence);
        var positions = g.Input(LlmOnnxNames.PositionIds, DataType.Int64, Batch, Sequence);
        var past = new List<(string Key, string Value)>();
        for (int layer = 0; layer < layers; layer++)
            past.Add((g.Input(LlmOnnxNames.PastKey(layer), DataType.Float, Batch, kvHeads, PastSequence, headSize),
                      g.Input(LlmOnnxNames.PastValue(layer), DataType.Float, Batch, kvHeads, PastSequence, headSize)));
        var present = new List<(string Key, string Value)>();
        var hidden = decoder.Hidden(ids, positions, CausalAttentionBias.AfterPast(g, ids, mask, past[0].Key), past, present);
        g.Output(LlmOnnxNames.Logits, decoder.Logits(hidden, ids), DataType.Float, Batch, Sequence, vocabularySize);
        for (int layer = 0; layer < layers; layer++)
        {
            g.Output(LlmOnnxNames.PresentKey(layer), present[layer].Key, DataType.Float, Batch, kvHeads, TotalSequence, headSize);
            g.Output(LlmOnnxNames.PresentValue(layer), present[layer].Value, DataType.Float, Batch, kvHeads, TotalSequence, headSize);
        }
    }

    // Checks shared by every export, before anything is built or written.
    private static List<(string Name, Tensor Parameter)> Prepare(nn.Module module, ITextBackbone backbone, LlmTokenizer tokenizer, string path, string what)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parameters = OnnxWeights.ParametersOf(module, what);
        if (tokenizer.VocabularySize > backbone.VocabularySize)
            throw new ArgumentException($"The tokenizer '{tokenizer.Name}' has {tokenizer.VocabularySize} ids but the model embeds only {backbone.VocabularySize}: they do not belong together.", nameof(tokenizer));
        OnnxWeights.CheckFinite(parameters, what);
        return parameters;
    }

    private static double? LoraScale((int Rank, double Alpha)? settings) => settings is { } lora ? lora.Alpha / lora.Rank : null;

    private static LlmOnnxMetadata Metadata(LlmOnnxKind kind, LlmTokenizer tokenizer, ITextBackbone backbone) =>
        LlmOnnxMetadata.For(kind, tokenizer, backbone.MaxLength, backbone.LayerCount, backbone.HeadCount, backbone.HiddenSize);

    private static LlmOnnxMetadata Write(OnnxGraphBuilder g, OnnxExportOptions options, string path, string doc, LlmOnnxMetadata metadata)
    {
        metadata = metadata with { Signature = g.Signature };
        OnnxModelFile.Write(g.Build(doc, metadata.ToProperties()), path, g.InitializerBytes, options.ExternalDataThreshold);
        return metadata;
    }
}

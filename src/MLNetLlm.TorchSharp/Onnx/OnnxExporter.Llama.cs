using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

public static partial class OnnxExporter
{
    /// <summary>
    /// Exports a Llama-family <paramref name="model"/> as <see cref="LlmOnnxKind.GptLogits"/> (token ids and attention
    /// mask, left or right padding, to next-token logits at every position), <see cref="LlmOnnxKind.GptWithPast"/> (the
    /// GPT's with-past contract with nkv-head past tensors, for <c>OnnxGptGenerator</c>) or
    /// <see cref="LlmOnnxKind.Embedder"/> (with the options' pooling and normalisation).
    /// </summary>
    /// <param name="model">The model; it stays as it is.</param>
    /// <param name="tokenizer">The tokenizer of its ids, stored in the model.</param>
    /// <param name="path">The .onnx file to write (its folder is created).</param>
    /// <param name="options">What to write; null for logits in float32.</param>
    /// <returns>The metadata stored in the model.</returns>
    /// <exception cref="ArgumentException">The tokenizer does not fit the model, or an option is invalid.</exception>
    public static LlmOnnxMetadata Export(LlamaModel model, LlmTokenizer tokenizer, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new();
        var kind = options.Validate(LlmOnnxKind.GptLogits);
        if (kind == LlmOnnxKind.Embedder) return ExportEmbedder(model, tokenizer, options.Pooling, options.Normalize, path, options with { Kind = null });
        var parameters = Prepare(model, model, tokenizer, path, "Llama-family model");
        bool withPast = kind == LlmOnnxKind.GptWithPast;
        var g = new OnnxGraphBuilder(withPast ? "llama_with_past" : "llama_logits");
        var llama = new LlamaOnnxGraph(g, new OnnxWeights(g, parameters, "", options.WeightType, LoraScale(Lora.SettingsOf(model))), model.Config, model.Rotary.Frequencies);
        if (withPast) BuildWithPast(g, llama);
        else
        {
            var ids = g.Input(LlmOnnxNames.InputIds, DataType.Int64, Batch, Sequence);
            var mask = g.Input(LlmOnnxNames.AttentionMask, DataType.Int64, Batch, Sequence);
            g.Output(LlmOnnxNames.Logits, llama.Logits(llama.Hidden(ids, mask), ids), DataType.Float, Batch, Sequence, model.Config.VocabularySize);
        }
        var metadata = Metadata(kind, tokenizer, model) with
        {
            KeyValueHeads = model.Config.KvHeads == model.Config.Heads ? null : model.Config.KvHeads,
            HeadWidth = model.Config.HeadSize * model.Config.Heads == model.Config.HiddenSize ? null : model.Config.HeadSize,
        };
        return Write(g, options, path, withPast
            ? "MLNetLlm Llama-family decoder with past key/values: input ids, positions and the mask over past + new tokens to next-token logits and the updated (rotated) key/values."
            : "MLNetLlm Llama-family decoder: token ids and attention mask (left or right padding) to next-token logits at every position.", metadata);
    }
}

namespace MLNetLlm.Onnx;

/// <summary>
/// The input and output names of the ONNX models MLNetLlm exports, the contract between the exporter (in
/// MLNetLlm.TorchSharp) and the scorers (in this package). Names follow Hugging Face Optimum's GPT-2 exports.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><see cref="LlmOnnxKind.GptLogits"/></term><description>in: <c>input_ids</c> int64 [batch, sequence],
/// <c>attention_mask</c> int64 [batch, sequence] (1 real, 0 padding, left or right); out: <c>logits</c> float
/// [batch, sequence, vocabulary].</description></item>
/// <item><term><see cref="LlmOnnxKind.GptWithPast"/></term><description>in: <c>input_ids</c> [batch, sequence],
/// <c>attention_mask</c> [batch, past_sequence + sequence], <c>position_ids</c> int64 [batch, sequence], and per
/// layer i <c>past_key_values.i.key</c> / <c>.value</c> float [batch, heads, past_sequence, head_size] (past_sequence
/// may be 0); out: <c>logits</c> and <c>present.i.key</c> / <c>.value</c> [batch, heads, past_sequence + sequence,
/// head_size].</description></item>
/// <item><term><see cref="LlmOnnxKind.Classifier"/></term><description>in: <c>input_ids</c>, <c>attention_mask</c>
/// [batch, sequence], right padded; out: <c>probabilities</c> float [batch, classes] (softmax) and <c>logits</c>
/// [batch, classes].</description></item>
/// <item><term><see cref="LlmOnnxKind.Embedder"/></term><description>in: <c>input_ids</c>, <c>attention_mask</c>
/// [batch, sequence], right padded; out: <c>embedding</c> float [batch, dimension], pooled over the real
/// tokens.</description></item>
/// </list>
/// </remarks>
public static class LlmOnnxNames
{
    /// <summary>Token ids, int64 [batch, sequence].</summary>
    public const string InputIds = "input_ids";

    /// <summary>Attention mask, int64: 1 for a real token, 0 for padding.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>Positions of the new tokens, int64 [batch, sequence] (the past-key/value variant only).</summary>
    public const string PositionIds = "position_ids";

    /// <summary>Next-token logits, float [batch, sequence, vocabulary].</summary>
    public const string Logits = "logits";

    /// <summary>Class probabilities, float [batch, classes].</summary>
    public const string Probabilities = "probabilities";

    /// <summary>The pooled text vector, float [batch, dimension].</summary>
    public const string Embedding = "embedding";

    /// <summary>The cached keys of layer <paramref name="layer"/> fed back in, float [batch, heads, past_sequence, head_size].</summary>
    public static string PastKey(int layer) => $"past_key_values.{layer}.key";

    /// <summary>The cached values of layer <paramref name="layer"/> fed back in.</summary>
    public static string PastValue(int layer) => $"past_key_values.{layer}.value";

    /// <summary>The keys of layer <paramref name="layer"/> after this pass, float [batch, heads, past_sequence + sequence, head_size].</summary>
    public static string PresentKey(int layer) => $"present.{layer}.key";

    /// <summary>The values of layer <paramref name="layer"/> after this pass.</summary>
    public static string PresentValue(int layer) => $"present.{layer}.value";
}

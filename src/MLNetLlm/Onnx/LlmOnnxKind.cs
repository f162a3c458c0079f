namespace MLNetLlm.Onnx;

/// <summary>What an exported MLNetLlm ONNX model computes; its inputs and outputs are in <see cref="LlmOnnxNames"/>.</summary>
public enum LlmOnnxKind
{
    /// <summary>A GPT: token ids to next-token logits for every position.</summary>
    GptLogits,

    /// <summary>A GPT with past key/value inputs and present key/value outputs, for fast generation.</summary>
    GptWithPast,

    /// <summary>A fine-tuned classifier: token ids to class probabilities.</summary>
    Classifier,

    /// <summary>A text embedder: token ids to one pooled vector per text.</summary>
    Embedder,
}

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The model families an <see cref="ITextBackbone"/> can be.</summary>
public enum BackboneFamily
{
    /// <summary>A GPT-2 style decoder (<see cref="GptModel"/>): causal attention, learned positions, pre-LayerNorm.</summary>
    Gpt,

    /// <summary>A BERT-style encoder: bidirectional attention, learned positions and token types, post-LayerNorm.</summary>
    Bert,

    /// <summary>A Llama-family decoder (<see cref="LlamaModel"/>: Llama, Qwen2/3, SmolLM): causal attention, rotary
    /// positions, RMSNorm, SwiGLU, grouped-query attention.</summary>
    Llama,
}

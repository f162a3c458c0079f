namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The model families an <see cref="ITextBackbone"/> can be.</summary>
public enum BackboneFamily
{
    /// <summary>A GPT-2 style decoder (<see cref="GptModel"/>): causal attention, learned positions, pre-LayerNorm.</summary>
    Gpt,

    /// <summary>A BERT-style encoder: bidirectional attention, learned positions and token types, post-LayerNorm.</summary>
    Bert,
}

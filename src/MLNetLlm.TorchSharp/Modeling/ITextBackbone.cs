using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A transformer that turns token ids into one hidden state per token: what a classifier (<see cref="TextClassifier"/>),
/// a text embedder and the ONNX exporter build on. A model family (a GPT decoder, a BERT encoder, ...) supplies its
/// modules and says here what is particular to it (its shape, its attention direction, where its layers and
/// projections are); pooling, heads, LoRA, fine-tuning and persistence are written once against this interface.
/// </summary>
/// <remarks>The implementing object is itself the torch module: <see cref="Module"/> returns it.</remarks>
public interface ITextBackbone : IDisposable
{
    /// <summary>Which family the backbone belongs to; persisted with checkpoints that hold it.</summary>
    BackboneFamily Family { get; }

    /// <summary>The torch module (this object): parameters, training mode, device moves.</summary>
    nn.Module Module { get; }

    /// <summary>Width of each hidden state (C).</summary>
    int HiddenSize { get; }

    /// <summary>The longest sequence the backbone reads: its context length or its number of positions.</summary>
    int MaxLength { get; }

    /// <summary>Number of token ids the backbone embeds.</summary>
    int VocabularySize { get; }

    /// <summary>Number of transformer layers (blocks).</summary>
    int LayerCount { get; }

    /// <summary>Number of attention heads per layer.</summary>
    int HeadCount { get; }

    /// <summary>Whether a token sees only itself and earlier tokens (a decoder), so only the last real token has seen the whole text.</summary>
    bool IsCausal { get; }

    /// <summary>The device the parameters live on.</summary>
    Device Device { get; }

    /// <summary>The parameters' element type.</summary>
    ScalarType Dtype { get; }

    /// <summary>
    /// Final hidden states (B, T, C) of right-padded token ids (B, T), with the attention mask (B, T), 1 for real tokens
    /// and 0 for padding. A real token's state never depends on the padding after it.
    /// </summary>
    Tensor ForwardHidden(Tensor ids, Tensor attentionMask);

    /// <summary>The modules whose linear projections LoRA may wrap, layer by layer (see <see cref="Lora"/>).</summary>
    IEnumerable<IProjectionHost> ProjectionHosts { get; }

    /// <summary>The layer a parameter belongs to, from its name in <see cref="Module"/>'s state dict; -1 outside the layers.</summary>
    int LayerOf(string parameterName);

    /// <summary>Whether a parameter sits after the last layer and shapes the final hidden states (a decoder's final
    /// LayerNorm): it trains with the last layers.</summary>
    bool IsFinalNorm(string parameterName);

    /// <summary>Whether hidden states never depend on a parameter (a decoder's separate language-model head): a
    /// classifier or embedder never trains it.</summary>
    bool IsOutsideHidden(string parameterName);
}

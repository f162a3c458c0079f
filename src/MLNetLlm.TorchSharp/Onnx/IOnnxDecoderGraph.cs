namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// A decoder family's forward pass as ONNX nodes, with the pieces the language-model exports need beyond the padded
/// hidden states: the pass over explicit positions and past key/values, and the output head.
/// </summary>
internal interface IOnnxDecoderGraph : IOnnxBackboneGraph
{
    /// <summary>Layers, key/value heads and head width of every past and present tensor, and the vocabulary of the logits.</summary>
    (int Layers, int KeyValueHeads, int HeadSize, int VocabularySize) Shape { get; }

    /// <summary>
    /// Final hidden states (B, T, C) of <paramref name="ids"/> at <paramref name="positions"/>, attending as
    /// <paramref name="attentionBias"/> (B, 1, T, past + T) allows. With <paramref name="past"/>, each layer's keys and
    /// values are appended to its past ones and reported in <paramref name="present"/>.
    /// </summary>
    string Hidden(string ids, string positions, string attentionBias, IReadOnlyList<(string Key, string Value)>? past = null,
        List<(string Key, string Value)>? present = null);

    /// <summary>Logits (B, T, vocabulary) from hidden states (B, T, C), with the tied or separate output head.</summary>
    string Logits(string hidden, string ids);
}

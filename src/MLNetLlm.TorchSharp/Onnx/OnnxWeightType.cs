namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>How an exported model stores its weights. The graph always takes and returns float32 values.</summary>
public enum OnnxWeightType
{
    /// <summary>float32, as trained: outputs match TorchSharp's to about 1e-5.</summary>
    Float32,

    /// <summary>
    /// float16, half the file; each weight is cast back to float32 inside the graph (ONNX Runtime folds the casts when
    /// it loads the model, so memory at run time is as for float32). Outputs move by the weights' rounding, about 1e-3
    /// relative.
    /// </summary>
    Float16,

    /// <summary>
    /// Dynamic int8 quantisation of the transformer blocks' matrix multiplications (<c>c_attn</c>, <c>c_proj</c>,
    /// <c>c_fc</c>): weights stored as int8 with one float32 scale per output column (symmetric), activations quantised
    /// to uint8 per tensor at run time (<c>DynamicQuantizeLinear</c> + <c>MatMulInteger</c>). Embeddings, LayerNorms and
    /// the heads stay float32. The accuracy loss is measured in docs/onnx.md.
    /// </summary>
    Int8,
}

using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The forward pass of one backbone family written as ONNX nodes: from the padded <c>input_ids</c> and
/// <c>attention_mask</c> inputs to the final hidden states, as the family's <see cref="ITextBackbone.ForwardHidden"/>
/// computes them on the real tokens. Classifier and embedder exports put their pooling and head on top.
/// </summary>
internal interface IOnnxBackboneGraph
{
    /// <summary>Final hidden states (B, T, C) of <paramref name="ids"/> (B, T) with <paramref name="mask"/> (B, T), 1 for real tokens.</summary>
    string Hidden(string ids, string mask);
}

/// <summary>The ONNX graph piece of each backbone family.</summary>
internal static class OnnxBackboneGraphs
{
    /// <exception cref="NotSupportedException">The family has no ONNX graph yet.</exception>
    public static IOnnxBackboneGraph Create(OnnxGraphBuilder g, OnnxWeights weights, ITextBackbone backbone) => backbone switch
    {
        GptModel gpt => new GptOnnxGraph(g, weights, gpt.Config),
        LlamaModel llama => new LlamaOnnxGraph(g, weights, llama.Config, llama.Rotary.Frequencies),
        BertModel bert => new BertOnnxGraph(g, weights, bert.Config.HiddenSize, bert.Config.Heads, bert.Config.Layers, (float)bert.Config.LayerNormEpsilon),
        _ => throw new NotSupportedException($"Exporting a {backbone.Family} backbone to ONNX is not supported."),
    };
}

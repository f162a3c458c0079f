using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>Copies of encoders, so training never touches the encoder a caller gave.</summary>
internal static class EncoderCopy
{
    /// <summary>A new encoder with the same tokenizer, pooling, length and normalisation, and its own copy of the weights.</summary>
    public static PretrainedEncoder Of(PretrainedEncoder source, string name)
    {
        var model = new BertModel(source.Model.Config, source.Model.Device, source.Model.Dtype, seed: 0);
        try
        {
            CopyParameters(source.Model, model);
            return new PretrainedEncoder(model, source.Tokenizer, source.Pooling, source.MaxTokens, source.Normalize, name);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter of <paramref name="from"/> into the same-named parameter of <paramref name="to"/>.</summary>
    public static void CopyParameters(BertModel from, BertModel to)
    {
        using var noGrad = no_grad();
        var source = from.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in to.named_parameters())
            parameter.copy_(source[name]);
    }
}

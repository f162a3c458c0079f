using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// BERT's input layer: word + position + token-type embeddings, summed, then LayerNorm and dropout. Parameter names are
/// Hugging Face's: <c>word_embeddings.weight</c>, <c>position_embeddings.weight</c>, <c>token_type_embeddings.weight</c>,
/// <c>LayerNorm.weight</c>, <c>LayerNorm.bias</c>.
/// </summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm; // Hugging Face's name, kept so the state dict reads like the checkpoint
    private readonly Dropout dropout;

    /// <summary>Creates the embeddings of a model shaped by <paramref name="config"/>.</summary>
    public BertEmbeddings(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEmbeddings))
    {
        word_embeddings = Embedding(config.VocabularySize, config.HiddenSize, device: device, dtype: dtype);
        position_embeddings = Embedding(config.MaxPositions, config.HiddenSize, device: device, dtype: dtype);
        token_type_embeddings = Embedding(config.TypeVocabularySize, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEpsilon, device: device, dtype: dtype);
        dropout = Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The embedding LayerNorm's weight (C), to read the model's device and dtype without creating a tensor handle.</summary>
    internal Tensor LayerNormWeight => LayerNorm.weight!;

    /// <summary>Embeds ids (B, T) as sentence A at positions 0, 1, ..., T - 1; gives (B, T, C).</summary>
    public override Tensor forward(Tensor ids) => Forward(ids, null);

    /// <summary>Embeds ids (B, T) with segment ids <paramref name="tokenTypeIds"/> (B, T), zeros when null; gives (B, T, C).</summary>
    /// <remarks>Positions are absolute, 0 to T - 1, as in Hugging Face's BERT: pad on the right so real tokens start at 0.</remarks>
    public Tensor Forward(Tensor ids, Tensor? tokenTypeIds)
    {
        var positions = arange(ids.shape[1], ScalarType.Int64, ids.device).unsqueeze(0); // (1, T)
        var x = word_embeddings.forward(ids) + position_embeddings.forward(positions);   // (B, T, C)
        if (tokenTypeIds is not null) x = x + token_type_embeddings.forward(tokenTypeIds);
        else x = x + token_type_embeddings.weight![0];                                  // segment 0 everywhere: (C) broadcast
        return dropout.forward(LayerNorm.forward(x));                                   // (B, T, C)
    }
}

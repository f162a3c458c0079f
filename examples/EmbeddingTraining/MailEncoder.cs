using MLNetLlm.Embeddings;
using MLNetLlm.Models;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Embeddings;

/// <summary>The encoder the mail models start from: all-MiniLM-L6-v2 on TorchSharp, reading a mail's first word pieces only.</summary>
internal static class MailEncoder
{
    /// <summary>
    /// The bundled all-MiniLM-L6-v2 (mean pooling, L2-normalised) cut at <paramref name="maxTokens"/> word pieces rather
    /// than its 256: SetFit's pairs cost two mails each, so the length sets most of the run's time.
    /// </summary>
    public static PretrainedEncoder MiniLm(int maxTokens)
    {
        var bundled = BundledModels.MiniLmL6V2;
        var tokenizer = bundled.CreateTokenizer();
        var model = BertOnnxWeights.Load(bundled.ReadOnnx(), tokenizer, source: "the bundled all-MiniLM-L6-v2");
        try
        {
            return new PretrainedEncoder(model, tokenizer, EmbeddingPooling.Mean, maxTokens, normalize: true,
                name: $"all-MiniLM-L6-v2 ({maxTokens} word pieces)");
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.Models;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>The bundled encoders' raw ONNX and vocab.txt bytes, for the tests that tamper with them.</summary>
internal static class BundledFiles
{
    public static (byte[] Model, byte[] Vocabulary) MiniLmL6V2() => Read(BundledModels.MiniLmL6V2);

    public static (byte[] Model, byte[] Vocabulary) ArcticEmbedXs() => Read(BundledModels.ArcticEmbedXs);

    private static (byte[] Model, byte[] Vocabulary) Read(BundledModel model)
    {
        using var vocabulary = new MemoryStream();
        using (var stream = model.OpenVocabulary()) stream.CopyTo(vocabulary);
        return (model.ReadOnnx(), vocabulary.ToArray());
    }
}

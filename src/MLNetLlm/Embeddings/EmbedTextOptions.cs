namespace MLNetLlm.Embeddings;

/// <summary>Options of <c>mlContext.Transforms.Llm.EmbedText</c>.</summary>
public sealed record EmbedTextOptions
{
    /// <summary>The vector column written: a known-size vector of Single, <see cref="TextEmbedder.Dimension"/> long. Default <c>Embedding</c>.</summary>
    public string OutputColumnName { get; init; } = "Embedding";

    /// <summary>The text column read. Default <c>Text</c>.</summary>
    public string InputColumnName { get; init; } = "Text";

    /// <summary>
    /// The embedder (required): <see cref="SentenceEmbedders.FromOnnx"/> for a local ONNX file, a bundled model of the
    /// MLNetLlm.Models package such as <c>SentenceEmbedders.MiniLmL6V2()</c>, or a GPT embedder of MLNetLlm.TorchSharp.
    /// </summary>
    public required TextEmbedder Embedder { get; init; }

    /// <summary>How many rows are embedded per model call when a data view is read. Default 32.</summary>
    public int BatchSize { get; init; } = 32;
}

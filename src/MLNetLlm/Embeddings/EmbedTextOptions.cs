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

    /// <summary>
    /// How a text longer than the embedder's window is read. Default <see cref="LongTextOptions.Default"/>: split into
    /// windows of the model's length (32 tokens of overlap, at most 32 windows) whose vectors are pooled by their
    /// length-weighted mean, then scaled to length 1 again when the embedder normalises.
    /// <see cref="LongTextOptions.FirstWindowOnly"/> reads the first window only. Saved with the pipeline.
    /// </summary>
    public LongTextOptions LongTexts { get; init; } = LongTextOptions.Default;
}

namespace MLNetLlm.Embeddings;

/// <summary>
/// How <see cref="OnnxSentenceEmbedder"/> feeds an ONNX sentence-embedding model and reads its output. The defaults fit
/// a sentence-transformers BERT export (all-MiniLM-L6-v2, all-mpnet-base-v2, ...): inputs <c>input_ids</c>,
/// <c>attention_mask</c> and <c>token_type_ids</c>, output <c>last_hidden_state</c>, mean pooling, L2 normalisation.
/// </summary>
public sealed record OnnxSentenceEmbedderOptions
{
    /// <summary>The model input that takes the token ids, shape (batch, sequence), Int64 or Int32. Default <c>input_ids</c>.</summary>
    public string InputIdsName { get; init; } = "input_ids";

    /// <summary>The model input that takes the attention mask (1 for real tokens, 0 for padding), or null if the model has none. Default <c>attention_mask</c>.</summary>
    public string? AttentionMaskName { get; init; } = "attention_mask";

    /// <summary>The model input fed zeros as segment ids, when the model has an input of this name. Default <c>token_type_ids</c>.</summary>
    public string? TokenTypeIdsName { get; init; } = "token_type_ids";

    /// <summary>
    /// The model output to read: token vectors, shape (batch, sequence, dimension), which are pooled with
    /// <see cref="Pooling"/>; or text vectors already pooled by the model, shape (batch, dimension). Default <c>last_hidden_state</c>.
    /// </summary>
    public string OutputName { get; init; } = "last_hidden_state";

    /// <summary>How token vectors are pooled (ignored for an output already pooled). Default <see cref="EmbeddingPooling.Mean"/>.</summary>
    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Whether each text vector is scaled to Euclidean length 1, so a dot product is the cosine similarity. Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// The most tokens a text keeps, special tokens included (the model's <c>max_seq_length</c>; 256 for
    /// all-MiniLM-L6-v2). Longer texts are cut at the end; when the tokenizer closed the text with its end token
    /// (BERT's <c>[SEP]</c>), the cut keeps that token last. It is also the window a long text is split into (see
    /// <see cref="LongTextOptions"/>). Default 256.
    /// </summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// Whether tabs and line breaks become spaces before tokenizing (<see cref="TokenBatch.Clean"/>), as BERT's basic
    /// tokenizer reads them. False hands the text to the tokenizer as it is (<see cref="TokenBatch.EncodeAsIs"/>), as
    /// a GPT's byte-level BPE reads it. Default true.
    /// </summary>
    public bool LineBreaksAsSpaces { get; init; } = true;

    /// <summary>ONNX Runtime's threads within one operator; null for its default (one per core).</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>
    /// The ONNX Runtime execution provider to embed on: <c>"CPU"</c>, <c>"CUDA"</c> (needs the Microsoft.ML.OnnxRuntime.Gpu
    /// package in the app), <c>"TensorRT"</c>, or another name ONNX Runtime knows. A provider the app's ONNX Runtime
    /// package does not carry is reported (<see cref="OnnxSentenceEmbedder.ExecutionProviderFallback"/>, a trace warning)
    /// and the CPU is used: nothing else changes. Default <c>"CPU"</c>.
    /// </summary>
    public string ExecutionProvider { get; init; } = "CPU";

    internal void Validate()
    {
        MLNetLlm.Onnx.OnnxExecutionProviders.Validate(ExecutionProvider, nameof(ExecutionProvider));
        ArgumentException.ThrowIfNullOrWhiteSpace(InputIdsName, nameof(InputIdsName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputName, nameof(OutputName));
        if (MaxTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, $"{nameof(MaxTokens)} must be at least 1.");
        if (IntraOpThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, $"{nameof(IntraOpThreads)} must be at least 1 when given.");
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Unknown pooling.");
    }
}

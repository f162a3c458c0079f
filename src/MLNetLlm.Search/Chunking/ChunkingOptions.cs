using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Search;

/// <summary>Where <see cref="TextChunker"/> may cut a document.</summary>
public enum ChunkingMode
{
    /// <summary>Windows of <see cref="ChunkingOptions.MaxTokens"/> tokens, consecutive windows sharing <see cref="ChunkingOptions.Overlap"/> tokens.</summary>
    Tokens,

    /// <summary>Whole sentences packed up to <see cref="ChunkingOptions.MaxTokens"/>; a longer sentence is cut by tokens.</summary>
    Sentences,

    /// <summary>Whole paragraphs (separated by a blank line) packed up to <see cref="ChunkingOptions.MaxTokens"/>; a longer paragraph is cut by sentences.</summary>
    Paragraphs,
}

/// <summary>How <see cref="TextChunker"/> splits documents into passages.</summary>
public sealed record ChunkingOptions
{
    /// <summary>Where to cut. Default <see cref="ChunkingMode.Sentences"/>.</summary>
    public ChunkingMode Mode { get; init; } = ChunkingMode.Sentences;

    /// <summary>The most tokens in a passage. Default 128 (half of all-MiniLM-L6-v2's window, leaving room for word pieces).</summary>
    public int MaxTokens { get; init; } = 128;

    /// <summary>Tokens shared by consecutive windows in <see cref="ChunkingMode.Tokens"/> mode (and when a long sentence is cut). Default 16.</summary>
    public int Overlap { get; init; } = 16;

    /// <summary>Counts tokens; null counts words (runs of non-space characters). Default null.</summary>
    public Tokenizer? Tokenizer { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown chunking mode.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 1, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(Overlap, nameof(Overlap));
        if (Overlap >= MaxTokens)
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"The overlap must be smaller than {nameof(MaxTokens)} ({MaxTokens}), or windows would not advance.");
    }
}

/// <summary>A passage cut from a document, with where it came from.</summary>
/// <param name="Id">The passage's id: the source id, '#', and the passage's number from 0.</param>
/// <param name="SourceId">The document's id.</param>
/// <param name="Text">The passage's text: exactly the source's characters from <paramref name="Start"/> for <paramref name="Length"/>.</param>
/// <param name="Start">Where the passage starts in its source, in characters.</param>
/// <param name="Length">Its length in characters.</param>
public sealed record TextChunk(string Id, string SourceId, string Text, int Start, int Length);

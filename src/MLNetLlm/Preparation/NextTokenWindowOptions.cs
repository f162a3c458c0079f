namespace MLNetLlm.Preparation;

/// <summary>What to do with the end of the token stream when it does not fill a whole window.</summary>
public enum NextTokenWindowTail
{
    /// <summary>Windows that would run past the end of the stream are left out: every row is real tokens only.</summary>
    Drop,

    /// <summary>
    /// The first window that runs past the end of the stream is kept: its missing inputs are
    /// <see cref="NextTokenWindowOptions.PaddingId"/> and its missing targets <see cref="NextTokenWindowOptions.IgnoredTargetId"/>.
    /// </summary>
    Pad,
}

/// <summary>
/// Options of <c>mlContext.Data.Llm.CreateNextTokenWindows</c>: how the token stream of a corpus is cut into
/// fixed-length rows of <c>InputIds</c> and <c>TargetIds</c>, the targets being the inputs shifted by one token.
/// </summary>
/// <remarks>
/// <para>
/// The documents (rows of the input) are joined into one token stream, in the order of the input, with
/// <see cref="SeparatorId"/> between two documents (not before the first nor after the last; documents without tokens
/// are skipped). Windows start at stream positions <c>0, Stride, 2·Stride, ...</c>; the window at <c>s</c> has inputs
/// <c>t[s .. s+ContextLength)</c> and targets <c>t[s+1 .. s+ContextLength+1)</c>, so a window spans
/// <c>ContextLength + 1</c> tokens and a stream of <c>N</c> tokens has full windows at the starts <c>s</c> with
/// <c>s + ContextLength + 1 ≤ N</c>. A stride below the context length overlaps windows, equal tiles them, above skips
/// tokens. Windows cross document boundaries, as in GPT-2 pretraining: the separator tells the model where a
/// document ends.
/// </para>
/// <para>
/// The windows stop at the first one that reaches the end of the stream. With <see cref="NextTokenWindowTail.Drop"/>
/// a stream shorter than <c>ContextLength + 1</c> tokens gives no rows at all; with <see cref="NextTokenWindowTail.Pad"/>
/// it gives one padded row when it has at least two tokens (one input and its target).
/// </para>
/// </remarks>
public sealed class NextTokenWindowOptions
{
    /// <summary>
    /// The target id of padded positions, <c>-1</c>: no token has it. A training loss must skip these positions, as
    /// torch's <c>cross_entropy(logits, targets, ignore_index: -1)</c> does.
    /// </summary>
    public const long IgnoredTargetId = -1;

    /// <summary>
    /// The number of tokens of each row, the model's context length, at least 1. Default 256. A cursor holds one window
    /// of <c>ContextLength + 1</c> tokens, or <see cref="ShufflePoolSize"/> of them when shuffling.
    /// </summary>
    public int ContextLength { get; set; } = 256;

    /// <summary>
    /// The distance between the starts of two consecutive windows, at least 1. Null (the default) means
    /// <see cref="ContextLength"/>: the windows tile the stream, each token is a target once.
    /// </summary>
    public int? Stride { get; set; }

    /// <summary>
    /// Whether to put <see cref="SeparatorId"/> between two documents. Default true. On a token column without a
    /// <see cref="SeparatorId"/> the documents are joined without separator, as there is no tokenizer to ask.
    /// </summary>
    public bool SeparateDocuments { get; set; } = true;

    /// <summary>
    /// The id put between documents. Null (the default) means the tokenizer's <c>EndOfTextId</c> when windows are
    /// made from a text column, and no separator on a token column.
    /// </summary>
    public long? SeparatorId { get; set; }

    /// <summary>What to do with the end of the stream. Default <see cref="NextTokenWindowTail.Drop"/>.</summary>
    public NextTokenWindowTail Tail { get; set; } = NextTokenWindowTail.Drop;

    /// <summary>
    /// The input id of padded positions (their targets are <see cref="IgnoredTargetId"/>). Null (the default) means the
    /// tokenizer's <c>PaddingId</c>, else its <c>EndOfTextId</c>, else <see cref="SeparatorId"/>, else 0. Causal
    /// attention never lets a real position see a padded one, which comes after it, so the value only has to be a
    /// valid id.
    /// </summary>
    public long? PaddingId { get; set; }

    /// <summary>
    /// Whether to shuffle the windows. Default false (stream order). The shuffle streams: it keeps a pool of
    /// <see cref="ShufflePoolSize"/> windows, emits one drawn at random and refills its place with the next window,
    /// as ML.NET's <c>ShuffleRows</c> does; a window therefore moves at most about a pool's length from its place.
    /// For a full shuffle of a corpus that fits in memory, make the pool larger than the number of rows.
    /// </summary>
    public bool Shuffle { get; set; }

    /// <summary>The number of windows the shuffle keeps in memory, at least 1. Default 1000 (as <c>ShuffleRows</c>).</summary>
    public int ShufflePoolSize { get; set; } = 1000;

    /// <summary>
    /// The seed of the shuffle. Null (the default) takes the next seed of the <c>MLContext</c>. Every cursor of the
    /// result gives the same order: to draw a new order for each epoch, create the windows again with another seed.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>The name of the output column of input ids. Default <c>InputIds</c>.</summary>
    public string InputIdsColumnName { get; set; } = "InputIds";

    /// <summary>The name of the output column of target ids. Default <c>TargetIds</c>.</summary>
    public string TargetIdsColumnName { get; set; } = "TargetIds";
}

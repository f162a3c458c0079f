using MLNetLlm.Tokenization;

namespace MLNetLlm.Embeddings;

/// <summary>
/// A batch of texts as a model takes them: token ids padded to the longest text of the batch (shape (batch,
/// sequence), row-major), the attention mask (1 for real tokens, 0 for padding) and each text's real length. Every
/// MLNetLlm sentence embedder (ONNX Runtime or TorchSharp) encodes texts through it, so they read the same ids.
/// </summary>
public sealed class TokenBatch
{
    private TokenBatch(long[] ids, long[] mask, int[] lengths, int sequence)
    {
        Ids = ids;
        Mask = mask;
        Lengths = lengths;
        Sequence = sequence;
    }

    /// <summary>
    /// What null and empty texts are encoded as: one space. Our tokenizers encode the empty text to no ids at all, while
    /// a WordPiece tokenizer encodes a space to <c>[CLS] [SEP]</c>, which is what sentence-transformers embeds for "".
    /// </summary>
    public const string EmptyText = " ";

    /// <summary>
    /// The ids of an empty text for a tokenizer that frames every text with special tokens (a WordPiece tokenizer's
    /// <c>[CLS] [SEP]</c>, as Hugging Face encodes ""), else no ids. The TorchSharp classifiers and embedders score an
    /// empty text so; <c>Tokenize</c> pads it so too, which keeps ONNX scoring of an empty text equal to theirs.
    /// </summary>
    public static IReadOnlyList<int> FramedEmptyText(LlmTokenizer tokenizer)
    {
        var framed = tokenizer.EncodeToIds(EmptyText);
        return framed.Count >= 2 && framed[^1] == tokenizer.EndOfTextId ? framed : [];
    }

    /// <summary>
    /// The ids of one text as the classifiers read it (the TorchSharp classifier and the ONNX classifier scorer alike):
    /// encoded as it is, cut to <paramref name="maxTokens"/> keeping a framing end id last (<see cref="Truncate"/>); an
    /// empty or missing text, or one that encodes to no id, is <see cref="ClassifierEmptyText"/>.
    /// </summary>
    public static IReadOnlyList<int> EncodeForClassifier(string? text, LlmTokenizer tokenizer, int maxTokens) =>
        EncodeForClassifier(text.AsSpan(), tokenizer, maxTokens);

    /// <summary><see cref="EncodeForClassifier(string?, LlmTokenizer, int)"/> of a span: empty is the empty text.</summary>
    public static IReadOnlyList<int> EncodeForClassifier(ReadOnlySpan<char> text, LlmTokenizer tokenizer, int maxTokens)
    {
        var ids = text.IsEmpty ? [] : tokenizer.EncodeToIds(text, maxTokens);
        return ids.Count > 0 ? ids : ClassifierEmptyText(tokenizer);
    }

    /// <summary>What a classifier reads for a text with no token: <see cref="FramedEmptyText"/> (BERT's <c>[CLS] [SEP]</c>), else the end-of-text id alone (0 when there is none).</summary>
    public static IReadOnlyList<int> ClassifierEmptyText(LlmTokenizer tokenizer)
    {
        var framed = FramedEmptyText(tokenizer);
        return framed.Count > 0 ? framed : [tokenizer.EndOfTextId ?? 0];
    }

    /// <summary>The ids, (batch, sequence) row-major, padded on the right.</summary>
    public long[] Ids { get; }

    /// <summary>The attention mask, (batch, sequence): 1 for real tokens, 0 for padding.</summary>
    public long[] Mask { get; }

    /// <summary>Each text's number of real tokens.</summary>
    public int[] Lengths { get; }

    /// <summary>Number of texts.</summary>
    public int Count => Lengths.Length;

    /// <summary>The padded length: the longest text's token count, at least 1 (ONNX models reject an empty axis).</summary>
    public int Sequence { get; }

    /// <summary>Tokenizes <paramref name="texts"/> (null is empty) and cuts each to <paramref name="maxTokens"/> (see <see cref="Truncate"/>).</summary>
    public static TokenBatch Create(IReadOnlyList<string?> texts, LlmTokenizer tokenizer, int maxTokens) =>
        Create([.. texts.Select(text => Encode(text, tokenizer, maxTokens))], tokenizer.PaddingId ?? 0);

    /// <summary>The ids of one text as the model takes them: <see cref="Clean"/>ed, encoded, cut to <paramref name="maxTokens"/>.</summary>
    public static IReadOnlyList<int> Encode(string? text, LlmTokenizer tokenizer, int maxTokens) =>
        tokenizer.EncodeToIds(Clean(text), maxTokens);

    /// <summary>The ids of one whole text, not cut: <see cref="Clean"/>ed and encoded (<see cref="Encode"/> cuts them).</summary>
    public static IReadOnlyList<int> EncodeWhole(string? text, LlmTokenizer tokenizer) => tokenizer.EncodeToIds(Clean(text));

    /// <summary>
    /// The ids of one whole text read as it is, tabs and line breaks included, as a GPT reads it: a text that encodes to
    /// no ids (null, empty) is <see cref="FramedEmptyText"/>, else the end-of-text id alone, else no ids.
    /// </summary>
    public static IReadOnlyList<int> EncodeAsIs(string? text, LlmTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = tokenizer.EncodeToIds(text ?? "");
        if (ids.Count > 0)
            return ids;
        var framed = FramedEmptyText(tokenizer);
        return framed.Count > 0 ? framed : tokenizer.EndOfTextId is int end ? [end] : [];
    }

    /// <summary>
    /// Splits texts into groups to run together: sorted by token count, a group grows while padding to its longest
    /// text adds at most a quarter to its real tokens, so a batch of mixed lengths does not pay for padding.
    /// </summary>
    /// <returns>Groups of indices into <paramref name="encoded"/>, shortest texts first.</returns>
    public static List<int[]> GroupByLength(IReadOnlyList<IReadOnlyList<int>> encoded)
    {
        var keys = new long[encoded.Count];
        var order = new int[encoded.Count];
        SortByLength(encoded, keys, order);
        var groups = new List<int[]>();
        for (int start = 0, end; start < order.Length; start = end)
        {
            end = GroupEnd(encoded, order, start);
            groups.Add(order[start..end]);
        }
        return groups;
    }

    /// <summary>
    /// Fills <paramref name="order"/> with the indices of <paramref name="encoded"/> sorted by token count, equal counts in
    /// their first order (as a stable sort leaves them); <paramref name="keys"/> is scratch space of the same length.
    /// Allocates nothing.
    /// </summary>
    internal static void SortByLength(IReadOnlyList<IReadOnlyList<int>> encoded, Span<long> keys, Span<int> order)
    {
        for (int i = 0; i < encoded.Count; i++)
            keys[i] = (long)encoded[i].Count << 32 | (uint)i; // the index breaks ties, so the order is a stable sort's
        keys[..encoded.Count].Sort();
        for (int i = 0; i < encoded.Count; i++)
            order[i] = (int)(keys[i] & uint.MaxValue);
    }

    /// <summary>
    /// Where the group starting at <paramref name="start"/> of <paramref name="order"/> (sorted by <see cref="SortByLength"/>)
    /// ends: it grows while padding to its longest text adds at most a quarter to its real tokens.
    /// </summary>
    internal static int GroupEnd(IReadOnlyList<IReadOnlyList<int>> encoded, ReadOnlySpan<int> order, int start)
    {
        long real = encoded[order[start]].Count;
        int end = start + 1;
        for (; end < order.Length; end++)
        {
            long next = encoded[order[end]].Count;
            if ((end - start + 1) * next > 1.25 * (real + next) + 4)
                break;
            real += next;
        }
        return end;
    }

    /// <summary>A batch of encoded texts padded with <paramref name="padding"/> to the longest.</summary>
    public static TokenBatch Create(IReadOnlyList<IReadOnlyList<int>> encoded, long padding)
    {
        int sequence = Math.Max(1, encoded.Count == 0 ? 0 : encoded.Max(e => e.Count));
        int count = encoded.Count;
        var ids = new long[count * sequence];
        var mask = new long[count * sequence];
        var lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            var row = ids.AsSpan(i * sequence, sequence);
            row.Fill(padding);
            for (int t = 0; t < encoded[i].Count; t++)
                row[t] = encoded[i][t];
            mask.AsSpan(i * sequence, encoded[i].Count).Fill(1);
            lengths[i] = encoded[i].Count;
        }
        return new TokenBatch(ids, mask, lengths, sequence);
    }

    /// <summary>
    /// The text as the model's tokenizer should see it: <see cref="EmptyText"/> for null or empty text, and tabs and
    /// line breaks as spaces. BERT's basic tokenizer treats them as spaces, but Microsoft.ML.Tokenizers'
    /// <c>BertTokenizer</c> deletes them as control characters, which would glue <c>"end\nnext"</c> into one word.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return EmptyText;
        return text.AsSpan().IndexOfAny(LineBreaksAndTabs) < 0 ? text : string.Create(text.Length, text, static (span, source) =>
        {
            source.AsSpan().CopyTo(span);
            span.ReplaceAny(LineBreaksAndTabs, ' ');
        });
    }

    private static readonly System.Buffers.SearchValues<char> LineBreaksAndTabs = System.Buffers.SearchValues.Create("\t\n\r");

    /// <summary>
    /// The first <paramref name="maxTokens"/> ids; when the ids end with <paramref name="endId"/> (BERT's <c>[SEP]</c>
    /// added by the tokenizer), the first <c>maxTokens - 1</c> ids and that end id, as Hugging Face tokenizers truncate.
    /// </summary>
    public static IReadOnlyList<int> Truncate(IReadOnlyList<int> ids, int maxTokens, int? endId) =>
        LlmTokenizer.Truncate(ids, maxTokens, endId);
}

using MLNetLlm.Tokenization;

namespace MLNetLlm.Embeddings;

/// <summary>
/// A batch of texts as a model takes them: token ids padded to the longest text of the batch (shape (batch,
/// sequence), row-major), the attention mask (1 for real tokens, 0 for padding) and each text's real length.
/// </summary>
internal sealed class TokenBatch
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

    public long[] Ids { get; }
    public long[] Mask { get; }
    public int[] Lengths { get; }
    public int Count => Lengths.Length;

    /// <summary>The padded length: the longest text's token count, at least 1 (ONNX models reject an empty axis).</summary>
    public int Sequence { get; }

    /// <summary>Tokenizes <paramref name="texts"/> (null is empty) and cuts each to <paramref name="maxTokens"/> (see <see cref="Truncate"/>).</summary>
    public static TokenBatch Create(IReadOnlyList<string?> texts, LlmTokenizer tokenizer, int maxTokens)
    {
        var encoded = new IReadOnlyList<int>[texts.Count];
        int sequence = 1;
        for (int i = 0; i < texts.Count; i++)
        {
            encoded[i] = Truncate(tokenizer.EncodeToIds(Clean(texts[i])), maxTokens, tokenizer.EndOfTextId);
            sequence = Math.Max(sequence, encoded[i].Count);
        }

        long padding = tokenizer.PaddingId ?? 0;
        var ids = new long[texts.Count * sequence];
        var mask = new long[texts.Count * sequence];
        var lengths = new int[texts.Count];
        for (int i = 0; i < texts.Count; i++)
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
    public static IReadOnlyList<int> Truncate(IReadOnlyList<int> ids, int maxTokens, int? endId)
    {
        if (ids.Count <= maxTokens)
            return ids;
        var kept = new int[maxTokens];
        for (int t = 0; t < maxTokens; t++)
            kept[t] = ids[t];
        if (endId is int end && ids[^1] == end)
            kept[^1] = end;
        return kept;
    }
}

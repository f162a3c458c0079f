using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Topics;

/// <summary>The training documents, read into memory: each one's embedding and text (a missing text reads as empty).</summary>
internal sealed record TopicDocuments(float[][] Embeddings, string[] Texts)
{
    public int Count => Texts.Length;

    public static TopicDocuments Read(IDataView data, string embeddingColumnName, string textColumnName)
    {
        var embeddingColumn = TopicColumns.RequireEmbedding(data.Schema, embeddingColumnName);
        var textColumn = TopicColumns.RequireText(data.Schema, textColumnName);
        var embeddings = new List<float[]>();
        var texts = new List<string>();
        using var cursor = data.GetRowCursor([embeddingColumn, textColumn]);
        var embeddingGetter = cursor.GetGetter<VBuffer<float>>(embeddingColumn);
        var textGetter = cursor.GetGetter<ReadOnlyMemory<char>>(textColumn);
        VBuffer<float> embedding = default;
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            embeddingGetter(ref embedding);
            textGetter(ref text);
            var values = embedding.DenseValues().ToArray();
            TopicColumns.RequireFinite(values, embeddingColumnName, cursor.Position);
            embeddings.Add(values);
            texts.Add(text.ToString());
        }
        return new TopicDocuments([.. embeddings], [.. texts]);
    }

    /// <summary>
    /// Each document's topic words: <see cref="TopicWordTokenizer"/> words without stop words, and without words found in
    /// fewer than <paramref name="minDocumentFrequency"/> documents. Empty documents have none.
    /// </summary>
    public IReadOnlyList<string>[] Words(IReadOnlySet<string> stopWords, int minDocumentFrequency)
    {
        var words = Texts.Select(t => TopicWordTokenizer.Words(t).Where(w => !stopWords.Contains(w)).ToArray()).ToArray();
        if (minDocumentFrequency <= 1)
            return words;
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in words)
            foreach (var word in document.Distinct())
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
        return words.Select(d => (IReadOnlyList<string>)d.Where(w => frequency[w] >= minDocumentFrequency).ToArray()).ToArray();
    }
}

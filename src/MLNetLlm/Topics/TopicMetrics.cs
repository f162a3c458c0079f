using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Topics;

/// <summary>How good a topic model is on a corpus (see <see cref="TopicQuality"/> and <see cref="ClusterAgreement"/>).</summary>
/// <param name="Topics">Topics evaluated (the outlier topic not counted).</param>
/// <param name="Coherence">Mean NPMI of the topics' top words over the documents, −1 to 1.</param>
/// <param name="Diversity">Distinct top words over all top words, 0 to 1.</param>
/// <param name="OutlierShare">The share of documents in the outlier topic −1.</param>
/// <param name="NormalizedMutualInformation">NMI of topics against the label column; null without labels. Outliers count as one group.</param>
/// <param name="AdjustedRandIndex">ARI of topics against the label column; null without labels.</param>
public sealed record TopicMetrics(int Topics, double Coherence, double Diversity, double OutlierShare,
    double? NormalizedMutualInformation, double? AdjustedRandIndex)
{
    /// <summary>Evaluates topics given as words per topic and a topic per document.</summary>
    /// <param name="topicWords">Each topic's words, best first, by topic id (−1 for outliers is left out by the caller).</param>
    /// <param name="documents">The documents' texts.</param>
    /// <param name="documentTopics">Each document's topic (−1 for outliers).</param>
    /// <param name="labels">Each document's true class, or null.</param>
    /// <param name="topWords">How many words of each topic count. Default 10.</param>
    public static TopicMetrics Compute(IReadOnlyList<IReadOnlyList<string>> topicWords, IReadOnlyList<string> documents,
        IReadOnlyList<int> documentTopics, IReadOnlyList<int>? labels = null, int topWords = 10)
    {
        ArgumentNullException.ThrowIfNull(documentTopics);
        if (documentTopics.Count != documents.Count)
            throw new ArgumentException($"{documentTopics.Count} topics for {documents.Count} documents.", nameof(documentTopics));
        return new TopicMetrics(topicWords.Count,
            TopicQuality.Coherence(topicWords, documents, topWords),
            TopicQuality.Diversity(topicWords, topWords),
            documentTopics.Count(t => t < 0) / (double)Math.Max(1, documentTopics.Count),
            labels is null ? null : ClusterAgreement.NormalizedMutualInformation(documentTopics, labels),
            labels is null ? null : ClusterAgreement.AdjustedRandIndex(documentTopics, labels));
    }

    /// <summary>
    /// Evaluates a fitted topic model on <paramref name="data"/>: its topic words (outlier topic left out), coherence
    /// over the texts, and, with a label column (text, Boolean, key or integer), NMI and ARI of the topics against it.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or of a type that cannot be read.</exception>
    public static TopicMetrics Evaluate(TopicModelTransformer model, IDataView data, string textColumnName = "Text",
        string? labelColumnName = null, int topWords = 10)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var scored = model.Transform(data);
        var texts = scored.GetColumn<string>(TopicColumns.RequireText(scored.Schema, textColumnName)).Select(t => t ?? "").ToArray();
        var topics = scored.GetColumn<int>(model.Settings.TopicColumnName).ToArray();
        var words = model.Topics.Where(t => t.Id >= 0).Select(t => (IReadOnlyList<string>)t.Words.Select(w => w.Word).ToArray()).ToArray();
        return Compute(words, texts, topics, labelColumnName is null ? null : ReadLabels(scored, labelColumnName), topWords);
    }

    /// <summary>A label column as integer classes, numbered in order of first appearance.</summary>
    internal static int[] ReadLabels(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The label column '{name}' was not found.", nameof(name));
        IEnumerable<string> values = column.Type switch
        {
            TextDataViewType => data.GetColumn<string>(column).Select(v => v ?? ""),
            BooleanDataViewType => data.GetColumn<bool>(column).Select(v => v.ToString()),
            KeyDataViewType => data.GetColumn<uint>(column).Select(v => v.ToString()),
            _ when column.Type == NumberDataViewType.Int32 => data.GetColumn<int>(column).Select(v => v.ToString()),
            _ => throw new ArgumentException($"The label column '{name}' is {column.Type}; use text, Boolean, a key or Int32.", nameof(name)),
        };
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return values.Select(v => ids.TryGetValue(v, out var id) ? id : ids[v] = ids.Count).ToArray();
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Topics;

/// <summary>A document on the 2-D map of a topic model: its topic and its first two reduced coordinates (UMAP's or PCA's).</summary>
/// <param name="Topic">The topic the model assigns the document (−1 for HDBSCAN's outliers).</param>
/// <param name="X">The first coordinate of the document's reduced embedding (the model's UMAP or PCA).</param>
/// <param name="Y">The second coordinate.</param>
public readonly record struct TopicMapPoint(int Topic, float X, float Y);

/// <summary>Reads the documents of a data view onto the 2-D map of a topic model (what a picture of the topics draws).</summary>
internal static class TopicDocumentMap
{
    public static IReadOnlyList<TopicMapPoint> Read(TopicModelTransformer model, IDataView data)
    {
        var column = TopicColumns.RequireEmbedding(data.Schema, model.Settings.EmbeddingColumnName, model.Settings.EmbeddingSize);
        var text = model.AssignmentNeedsText ? TopicColumns.RequireText(data.Schema, model.Settings.TextColumnName) : (DataViewSchema.Column?)null;
        var points = new List<TopicMapPoint>();
        using var cursor = data.GetRowCursor(text is { } t ? [column, t] : [column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var textGetter = text is { } c ? cursor.GetGetter<ReadOnlyMemory<char>>(c) : null;
        ReadOnlyMemory<char> textValue = default;
        VBuffer<float> embedding = default;
        while (cursor.MoveNext())
        {
            getter(ref embedding);
            var values = embedding.DenseValues().ToArray();
            TopicColumns.RequireFinite(values, column.Name, cursor.Position);
            var projected = model.Project(values);
            if (projected.Length < 2)
                throw new InvalidOperationException("The model projects to fewer than 2 dimensions: no 2-D map can be drawn.");
            textGetter?.Invoke(ref textValue);
            points.Add(new TopicMapPoint(model.Assign(values, textGetter is null ? null : textValue.ToString()).Topic.Id, projected[0], projected[1]));
        }
        return points;
    }
}

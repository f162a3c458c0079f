using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Topics;

/// <summary>The topic model over one input schema: adds the topic, the distance to its centroid and its words, row by row.</summary>
internal sealed class TopicModelMapper : ColumnMapper
{
    private readonly TopicModelTransformer _model;
    private readonly DataViewSchema.Column _embedding;
    private readonly DataViewSchema.Column? _text;

    public TopicModelMapper(DataViewSchema inputSchema, TopicModelTransformer model)
        : base(inputSchema, AddedColumns(model.Settings.TopicColumnName, model.Settings.DistanceColumnName, model.Settings.WordsColumnName))
    {
        _model = model;
        _embedding = TopicColumns.RequireEmbedding(inputSchema, model.Settings.EmbeddingColumnName, model.Settings.EmbeddingSize);
        _text = model.AssignmentNeedsText ? TopicColumns.RequireText(inputSchema, model.Settings.TextColumnName) : null;
    }

    public static AddedColumn[] AddedColumns(string topic, string distance, string words) =>
    [
        new(topic, NumberDataViewType.Int32),
        new(distance, NumberDataViewType.Single),
        new(words, new VectorDataViewType(TextDataViewType.Instance)),
    ];

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => _text is { } text ? [_embedding, text] : [_embedding];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded.Any(a => a))
            return new Delegate?[activeAdded.Length];
        var embeddingGetter = input.GetGetter<VBuffer<float>>(input.Schema[_embedding.Index]);
        VBuffer<float> embedding = default;
        var textGetter = _text is { } text ? input.GetGetter<ReadOnlyMemory<char>>(input.Schema[text.Index]) : null;
        ReadOnlyMemory<char> textValue = default;
        // A cache keyed on Position would go stale under a PredictionEngine, whose row keeps one position; keyed on the
        // embedding's values (and the text, when outliers are reassigned by c-TF-IDF) it cannot, and spares the two
        // other getters of a row UMAP's neighbour search.
        float[]? lastValues = null;
        string? lastText = null;
        (TopicState Topic, float Distance) lastAssignment = default;
        (TopicState Topic, float Distance) Current()
        {
            embeddingGetter(ref embedding);
            var values = embedding.DenseValues().ToArray();
            TopicColumns.RequireFinite(values, _embedding.Name, input.Position);
            string? documentText = null;
            if (textGetter is not null)
            {
                textGetter(ref textValue);
                documentText = textValue.ToString();
            }
            if (lastValues is not null && values.AsSpan().SequenceEqual(lastValues) && documentText == lastText)
                return lastAssignment;
            lastAssignment = _model.Assign(values, documentText);
            (lastValues, lastText) = (values, documentText);
            return lastAssignment;
        }
        var wordsCache = new Dictionary<int, ReadOnlyMemory<char>[]>();
        return
        [
            activeAdded[0] ? (ValueGetter<int>)((ref int value) => value = Current().Topic.Id) : null,
            activeAdded[1] ? (ValueGetter<float>)((ref float value) => value = Current().Distance) : null,
            activeAdded[2] ? (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) =>
            {
                var topic = Current().Topic;
                if (!wordsCache.TryGetValue(topic.Id, out var words))
                    wordsCache[topic.Id] = words = topic.Words.Select(w => w.Word.AsMemory()).ToArray();
                var editor = VBufferEditor.Create(ref value, words.Length);
                words.CopyTo(editor.Values);
                value = editor.Commit();
            }) : null,
        ];
    }
}

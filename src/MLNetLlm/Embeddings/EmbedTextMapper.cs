using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>
/// EmbedText over one input schema: the output schema, and the row-to-row getter (one text per model call) that
/// <c>CreatePredictionEngine</c> uses. <see cref="EmbedTextDataView"/> batches instead.
/// </summary>
internal sealed class EmbedTextMapper : ColumnMapper
{
    private readonly TextEmbedder _embedder;

    public EmbedTextMapper(DataViewSchema inputSchema, TextEmbedder embedder, EmbedTextSettings settings)
        : base(inputSchema, [EmbedTextTransformer.OutputColumn(settings, embedder)])
    {
        _embedder = embedder;
        Input = ColumnChecks.RequireText(inputSchema, settings.InputColumnName, EmbedTextTransformer.Component);
    }

    /// <summary>The text column.</summary>
    public DataViewSchema.Column Input { get; }

    /// <summary>The output column's index in <see cref="ColumnMapper.OutputSchema"/>.</summary>
    public int OutputIndex => InputSchema.Count;

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [Input];

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        if (!activeAdded[0])
            return [null];
        var getText = input.GetGetter<ReadOnlyMemory<char>>(input.Schema[Input.Index]);
        long position = -1;
        float[] vector = [];
        ReadOnlyMemory<char> text = default;
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            if (position != input.Position)
            {
                getText(ref text);
                vector = _embedder.Embed(text.ToString());
                EmbeddingChecks.RequireFinite(vector, _embedder, input.Position, text);
                position = input.Position;
            }
            EmbeddingChecks.Copy(vector, ref value);
        };
        return [getter];
    }
}

/// <summary>Checks and copies shared by the EmbedText views.</summary>
internal static class EmbeddingChecks
{
    /// <exception cref="InvalidOperationException">The vector holds NaN or infinity.</exception>
    public static void RequireFinite(float[] vector, TextEmbedder embedder, long row, ReadOnlyMemory<char> text)
    {
        foreach (float value in vector)
            if (!float.IsFinite(value))
            {
                var start = text.Length <= 60 ? text.ToString() : text[..60] + "...";
                throw new InvalidOperationException($"{EmbedTextTransformer.Component}: {embedder.Name} gave a vector with {value} for row {row} (\"{start}\").");
            }
    }

    public static void Copy(float[] vector, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, vector.Length);
        vector.CopyTo(editor.Values);
        value = editor.Commit();
    }
}

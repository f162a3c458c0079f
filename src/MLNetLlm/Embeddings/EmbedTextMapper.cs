using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>
/// EmbedText over one input schema: each row's text in, a batch's vectors out. Data views run it a batch at a time
/// (<see cref="BatchedDataView{TInput,TBatch}"/>), a prediction engine row by row.
/// </summary>
internal sealed class EmbedTextMapper : BatchedColumnMapper<EmbedTextRow, float[][]>
{
    private readonly TextEmbedder _embedder;
    private readonly SharedResource<TextEmbedder>? _owned;
    private readonly LongTextOptions _longTexts;

    // owned: held while a batch runs, so a transformer disposed meanwhile releases the embedder after it.
    public EmbedTextMapper(DataViewSchema inputSchema, TextEmbedder embedder, EmbedTextSettings settings, SharedResource<TextEmbedder>? owned = null)
        : base(inputSchema, [EmbedTextTransformer.OutputColumn(settings, embedder)])
    {
        _embedder = embedder;
        _owned = owned;
        _longTexts = settings.LongTextsOrFirstWindow;
        BatchSize = settings.BatchSize;
        Input = ColumnChecks.RequireText(inputSchema, settings.InputColumnName, EmbedTextTransformer.Component);
    }

    /// <summary>The text column.</summary>
    public DataViewSchema.Column Input { get; }

    public override int BatchSize { get; }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [Input];

    public override Func<EmbedTextRow> CreateReader(DataViewRow row, bool[] activeAdded)
    {
        var getText = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[Input.Index]);
        ReadOnlyMemory<char> text = default;
        return () =>
        {
            getText(ref text);
            return new EmbedTextRow(row.Position, text.ToString());
        };
    }

    /// <exception cref="InvalidOperationException">A vector holds NaN or infinity (the message names the row).</exception>
    public override float[][] Compute(IReadOnlyList<EmbedTextRow> inputs, bool[] activeAdded)
    {
        _owned?.Acquire();
        float[][] vectors;
        try
        {
            vectors = _embedder.Embed([.. inputs.Select(input => input.Text)], _longTexts);
        }
        finally
        {
            _owned?.Release();
        }
        for (int i = 0; i < vectors.Length; i++)
            RequireFinite(vectors[i], inputs[i]);
        return vectors;
    }

    public override Delegate Getter(int added, Func<float[][]> batch, Func<int> offset) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var vector = batch()[offset()];
            var editor = VBufferEditor.Create(ref value, vector.Length);
            vector.CopyTo(editor.Values);
            value = editor.Commit();
        });

    private void RequireFinite(float[] vector, EmbedTextRow row)
    {
        foreach (float value in vector)
            if (!float.IsFinite(value))
            {
                var start = row.Text.Length <= 60 ? row.Text : row.Text[..60] + "...";
                throw new InvalidOperationException($"{EmbedTextTransformer.Component}: {_embedder.Name} gave a vector with {value} for row {row.Position} (\"{start}\").");
            }
    }
}

/// <summary>What EmbedText reads from one row: its position (for errors) and its text.</summary>
internal readonly record struct EmbedTextRow(long Position, string Text);

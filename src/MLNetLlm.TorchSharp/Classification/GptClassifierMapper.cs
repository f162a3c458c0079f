using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Transforms;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The classifier over one input schema, row by row: what <c>CreatePredictionEngine</c> uses. Data views use
/// <see cref="GptClassifierDataView"/>, which computes the same values a batch of rows at a time.
/// </summary>
internal sealed class GptClassifierMapper : ColumnMapper
{
    public GptClassifierMapper(DataViewSchema inputSchema, GptClassifierTransformer transformer, GptClassifierColumns columns)
        : base(inputSchema, GptClassifierColumns.OutputColumns(transformer.Labels))
    {
        Transformer = transformer;
        Columns = columns;
    }

    public GptClassifierTransformer Transformer { get; }

    public GptClassifierColumns Columns { get; }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => Columns.ReadColumns;

    /// <summary>A reader of the current row's token ids, as the model reads them.</summary>
    public Func<int[]> CreateReader(DataViewRow row) =>
        Columns.CreateReader(row, Transformer.Tokenizer, Transformer.MaximumLength, Transformer.Classifier.Transformer.Config.VocabularySize);

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        var getters = new Delegate?[activeAdded.Length];
        if (!activeAdded.Contains(true))
            return getters;
        var read = CreateReader(input);
        long position = -1;
        GptClassifierBatch output = default;
        GptClassifierBatch Current()
        {
            if (position != input.Position)
            {
                output = Transformer.Score([read()]);
                position = input.Position;
            }
            return output;
        }
        for (int i = 0; i < activeAdded.Length; i++)
            if (activeAdded[i])
                getters[i] = Getter(i, () => Current(), () => 0);
        return getters;
    }

    /// <summary>The getter of added column <paramref name="index"/>, reading row <paramref name="offset"/> of <paramref name="batch"/>.</summary>
    public Delegate Getter(int index, Func<GptClassifierBatch> batch, Func<int> offset)
    {
        if (Transformer.Labels.IsBinary)
            return index switch
            {
                0 => (ValueGetter<float>)((ref float value) => value = batch().LogOdds[offset()]),
                1 => (ValueGetter<float>)((ref float value) => value = batch().Probabilities[offset()][1]),
                _ => (ValueGetter<bool>)((ref bool value) => value = batch().LogOdds[offset()] > 0),
            };
        if (index == 0)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var probabilities = batch().Probabilities[offset()];
                var editor = VBufferEditor.Create(ref value, probabilities.Length);
                probabilities.CopyTo(editor.Values);
                value = editor.Commit();
            });
        return (ValueGetter<uint>)((ref uint value) => value = (uint)ArgMax(batch().Probabilities[offset()]) + 1);
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}

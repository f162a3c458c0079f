using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The classifier over one input schema: each row's token ids in, a batch's scores out. Data views run it a batch at a
/// time (<see cref="BatchedDataView{TInput,TBatch}"/>), a prediction engine row by row.
/// </summary>
internal sealed class ClassifierMapper(DataViewSchema inputSchema, TextClassifierTransformer transformer, ClassifierColumns columns)
    : BatchedColumnMapper<int[], ClassifierScoringBatch>(inputSchema, ClassifierColumns.OutputColumns(transformer.Labels))
{
    public TextClassifierTransformer Transformer { get; } = transformer;

    public ClassifierColumns Columns { get; } = columns;

    public override int BatchSize => Transformer.Options.BatchSize;

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => Columns.ReadColumns;

    /// <summary>A reader of the current row's token ids, as the model reads them.</summary>
    public override Func<int[]> CreateReader(DataViewRow row, bool[] activeAdded) =>
        Columns.CreateReader(row, Transformer.Tokenizer, Transformer.MaximumLength, Transformer.Classifier.Backbone.VocabularySize);

    public override ClassifierScoringBatch Compute(IReadOnlyList<int[]> inputs, bool[] activeAdded) => Transformer.Score(inputs);

    /// <summary>The getter of added column <paramref name="index"/>, reading row <paramref name="offset"/> of <paramref name="batch"/>.</summary>
    public override Delegate Getter(int index, Func<ClassifierScoringBatch> batch, Func<int> offset)
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

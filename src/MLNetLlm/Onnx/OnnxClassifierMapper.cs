using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Onnx;

/// <summary>
/// The batched ONNX classifier over one input schema: each row's text read and encoded, a batch's probabilities out,
/// written as Score and PredictedLabel. Data views run it a batch at a time, refilling each cursor's
/// <see cref="OnnxClassifierBatch"/>; a prediction engine runs it row by row.
/// </summary>
internal sealed class OnnxClassifierMapper : BatchedColumnMapper<IReadOnlyList<int>, OnnxClassifierBatch>
{
    private readonly SharedResource<OnnxClassifierScorer> _scorer;
    private readonly DataViewSchema.Column _input;

    public OnnxClassifierMapper(DataViewSchema inputSchema, SharedResource<OnnxClassifierScorer> scorer, OnnxClassifierSettings settings)
        : base(inputSchema, ProbabilitiesToLabelMapper.OutputColumns(settings.Labels()))
    {
        _scorer = scorer;
        BatchSize = settings.BatchSize;
        _input = ColumnChecks.RequireText(inputSchema, settings.InputColumnName, OnnxClassifierTransformer.Component);
    }

    public override int BatchSize { get; }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    // Encodes straight from the text's characters: no string per row.
    public override Func<IReadOnlyList<int>> CreateReader(DataViewRow row, bool[] activeAdded)
    {
        var getText = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[_input.Index]);
        var scorer = _scorer.Value;
        ReadOnlyMemory<char> text = default;
        return () =>
        {
            getText(ref text);
            return scorer.Encode(text.Span);
        };
    }

    public override OnnxClassifierBatch Compute(IReadOnlyList<IReadOnlyList<int>> inputs, bool[] activeAdded) => Compute(inputs, activeAdded, null);

    public override OnnxClassifierBatch Compute(IReadOnlyList<IReadOnlyList<int>> inputs, bool[] activeAdded, OnnxClassifierBatch? previous)
    {
        var batch = previous ?? new OnnxClassifierBatch();
        var scorer = _scorer.Acquire(); // held while it runs: a transformer disposed meanwhile releases the session after
        try
        {
            scorer.Score(inputs, batch);
        }
        finally
        {
            _scorer.Release();
        }
        return batch;
    }

    public override Delegate Getter(int added, Func<OnnxClassifierBatch> batch, Func<int> offset) => added == 0
        ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var probabilities = batch().Probabilities(offset());
            var editor = VBufferEditor.Create(ref value, probabilities.Length);
            probabilities.CopyTo(editor.Values);
            value = editor.Commit();
        })
        : (ValueGetter<uint>)((ref uint value) => value = ProbabilitiesToLabelMapper.PredictedKey(batch().Probabilities(offset())));
}

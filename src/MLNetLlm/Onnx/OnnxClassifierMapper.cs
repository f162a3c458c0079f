using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Onnx;

/// <summary>
/// The batched ONNX classifier over one input schema: each row's text in, a batch's probabilities out, written as
/// Score and PredictedLabel. Data views run it a batch at a time, a prediction engine row by row.
/// </summary>
internal sealed class OnnxClassifierMapper : BatchedColumnMapper<string, float[][]>
{
    private readonly OnnxClassifierScorer _scorer;
    private readonly DataViewSchema.Column _input;

    public OnnxClassifierMapper(DataViewSchema inputSchema, OnnxClassifierScorer scorer, OnnxClassifierSettings settings)
        : base(inputSchema, ProbabilitiesToLabelMapper.OutputColumns(settings.Labels()))
    {
        _scorer = scorer;
        BatchSize = settings.BatchSize;
        _input = ColumnChecks.RequireText(inputSchema, settings.InputColumnName, OnnxClassifierTransformer.Component);
    }

    public override int BatchSize { get; }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    public override Func<string> CreateReader(DataViewRow row, bool[] activeAdded)
    {
        var getText = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[_input.Index]);
        ReadOnlyMemory<char> text = default;
        return () =>
        {
            getText(ref text);
            return text.ToString();
        };
    }

    public override float[][] Compute(IReadOnlyList<string> inputs, bool[] activeAdded) => _scorer.Score(inputs);

    public override Delegate Getter(int added, Func<float[][]> batch, Func<int> offset) => added == 0
        ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var probabilities = batch()[offset()];
            var editor = VBufferEditor.Create(ref value, probabilities.Length);
            probabilities.CopyTo(editor.Values);
            value = editor.Commit();
        })
        : (ValueGetter<uint>)((ref uint value) => value = ProbabilitiesToLabelMapper.PredictedKey(batch()[offset()]));
}

using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Onnx;

/// <summary>The MapProbabilitiesToLabel transform over one input schema: adds Score and PredictedLabel.</summary>
internal sealed class ProbabilitiesToLabelMapper : ColumnMapper
{
    private const string Component = "MapProbabilitiesToLabel";
    private readonly DataViewSchema.Column _input;
    private readonly int _classes;

    public ProbabilitiesToLabelMapper(DataViewSchema inputSchema, ProbabilitiesToLabelSettings settings)
        : base(inputSchema, OutputColumns(settings))
    {
        _classes = settings.ClassLabels.Count;
        _input = inputSchema.GetColumnOrNull(settings.InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{Component}: the input schema has no column '{settings.InputColumnName}'.");
        if (_input.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: var size } vector || vector.ItemType != NumberDataViewType.Single || size != _classes)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"{Component}: column '{settings.InputColumnName}' must be a vector of {_classes} Single (one probability per class label), not {_input.Type}.");
    }

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_input];

    /// <summary>Score: the probabilities with the labels as slot names; PredictedLabel: a key over the labels.</summary>
    public static IReadOnlyList<AddedColumn> OutputColumns(ProbabilitiesToLabelSettings settings)
    {
        int classes = settings.ClassLabels.Count;
        var names = new VBuffer<ReadOnlyMemory<char>>(classes, [.. settings.ClassLabels.Select(l => l.AsMemory())]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getNames = (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value);

        var namesType = new VectorDataViewType(TextDataViewType.Instance, classes);
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        scoreAnnotations.Add("SlotNames", namesType, getNames);
        var keyAnnotations = new DataViewSchema.Annotations.Builder();
        keyAnnotations.Add("KeyValues", namesType, getNames);
        return
        [
            new AddedColumn(settings.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes), scoreAnnotations.ToAnnotations()),
            new AddedColumn(settings.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), keyAnnotations.ToAnnotations()),
        ];
    }

    /// <summary>The key of the most probable class (the first among equals), counting from 1; 0 (missing) when every value is NaN.</summary>
    public static uint PredictedKey(ReadOnlySpan<float> probabilities)
    {
        int best = -1;
        for (int i = 0; i < probabilities.Length; i++)
            if (!float.IsNaN(probabilities[i]) && (best < 0 || probabilities[i] > probabilities[best])) best = i;
        return (uint)(best + 1);
    }

    public override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        var read = input.GetGetter<VBuffer<float>>(input.Schema[_input.Index]);
        var buffer = default(VBuffer<float>);
        var dense = new float[_classes];
        long readPosition = -1;
        ReadOnlySpan<float> Probabilities() // read once per row, whichever column asks first
        {
            if (readPosition != input.Position)
            {
                read(ref buffer);
                buffer.CopyTo(dense);
                readPosition = input.Position;
            }
            return dense;
        }

        ValueGetter<VBuffer<float>>? score = activeAdded[0]
            ? (ref VBuffer<float> value) =>
            {
                var probabilities = Probabilities();
                var editor = VBufferEditor.Create(ref value, _classes);
                probabilities.CopyTo(editor.Values);
                value = editor.Commit();
            }
            : null;
        ValueGetter<uint>? label = activeAdded[1]
            ? (ref uint value) =>
            {
                value = PredictedKey(Probabilities());
            }
            : null;
        return [score, label];
    }
}

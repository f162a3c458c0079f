using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Classification;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>SetFit's column checks (a text column; a key label for multiclass, a Boolean one for binary) and output shape.</summary>
internal static class SetFitLabels
{
    /// <summary>Checks a schema shape before fitting.</summary>
    public static void Check(SchemaShape schema, string label, bool binary)
    {
        var column = schema.FirstOrDefault(c => c.Name == label);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException("inputSchema", $"{SetFitEstimator.Component}: label column '{label}' was not found.");
        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        if (binary && !(scalar && column.ItemType is BooleanDataViewType))
            throw new ArgumentOutOfRangeException("inputSchema", $"{SetFitEstimator.Component}: label column '{label}' must be Boolean for binary SetFit, but it is {column.ItemType}.");
        if (!binary && !(scalar && column.IsKey))
            throw new ArgumentOutOfRangeException("inputSchema", $"{SetFitEstimator.Component}: label column '{label}' must be a key for multiclass SetFit, but it is {column.ItemType}: " +
                $"append mlContext.Transforms.Conversion.MapValueToKey(\"{label}\") before the trainer.");
    }

    /// <summary>Checks both columns of a schema and returns the classes; <paramref name="set"/> names the data in errors.</summary>
    public static ClassifierLabels Of(DataViewSchema schema, string text, string label, bool binary, string set)
    {
        try
        {
            var shape = new SchemaShape(schema.Where(c => !c.IsHidden).Select(MLNetInternals.Column));
            ColumnChecks.RequireText(shape, text, SetFitEstimator.Component);
            Check(shape, label, binary);
            var labels = ClassifierLabels.Of(schema, label, binary, SetFitEstimator.Component);
            return labels;
        }
        catch (ArgumentException e) when (set != "training data")
        {
            throw new ArgumentException($"{SetFitEstimator.Component}: the {set} does not fit: {e.Message}", nameof(SetFitOptions.ValidationSet), e);
        }
    }

    /// <summary>The columns SetFit adds: the embedding, then the head's.</summary>
    public static IEnumerable<SchemaShape.Column> OutputShape(string embedding, bool binary)
    {
        var single = NumberDataViewType.Single;
        yield return MLNetInternals.Column(embedding, SchemaShape.Column.VectorKind.Vector, single, false);
        if (binary)
        {
            yield return MLNetInternals.Column(ClassifierColumns.ScoreColumnName, SchemaShape.Column.VectorKind.Scalar, single, false);
            yield return MLNetInternals.Column(ClassifierColumns.ProbabilityColumnName, SchemaShape.Column.VectorKind.Scalar, single, false);
            yield return MLNetInternals.Column(ClassifierColumns.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
            yield break;
        }
        yield return MLNetInternals.Column(ClassifierColumns.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, single, false);
        yield return MLNetInternals.Column(ClassifierColumns.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true);
    }
}

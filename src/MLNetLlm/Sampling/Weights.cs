using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Sampling;

/// <summary>
/// Reads a weight column (float or double) as double and rejects weights that cannot be probabilities:
/// negative, NaN or infinite values fail with an error naming the column and the row.
/// </summary>
internal sealed class Weights
{
    private readonly string _argumentName;

    private Weights(DataViewSchema.Column column, string argumentName)
    {
        Column = column;
        _argumentName = argumentName;
    }

    public DataViewSchema.Column Column { get; }

    /// <summary>Weights from <paramref name="column"/>, or an error naming it if it is not a float or double scalar.</summary>
    public static Weights Create(DataViewSchema.Column column, string argumentName) =>
        column.Type == NumberDataViewType.Single || column.Type == NumberDataViewType.Double
            ? new Weights(column, argumentName)
            : throw new ArgumentException(
                $"Weight column '{column.Name}' has type {column.Type}; a weight column must hold float or double scalars.",
                argumentName);

    /// <summary>Reads the checked weight of the current row; the function's argument is the row position, named in errors.</summary>
    public Func<long, double> Bind(DataViewRow row)
    {
        if (Column.Type == NumberDataViewType.Single)
        {
            var getter = row.GetGetter<float>(Column);
            float value = 0;
            return position =>
            {
                getter(ref value);
                return Check(value, position);
            };
        }
        var doubleGetter = row.GetGetter<double>(Column);
        double doubleValue = 0;
        return position =>
        {
            doubleGetter(ref doubleValue);
            return Check(doubleValue, position);
        };
    }

    private double Check(double weight, long position) =>
        weight >= 0 && double.IsFinite(weight)
            ? weight
            : throw new ArgumentException(
                $"Weight column '{Column.Name}' holds {weight.ToString(CultureInfo.InvariantCulture)} at row {position}: weights must be finite and not negative.",
                _argumentName);

    /// <summary>The error for a stratum (or the whole data) whose weights are all zero.</summary>
    public ArgumentException AllZero(string where) =>
        new($"Weight column '{Column.Name}' has only zero weights {where}: nothing can be drawn.", _argumentName);
}

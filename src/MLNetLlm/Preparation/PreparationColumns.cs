using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Preparation;

/// <summary>Finds and checks the input columns of data preparation, with errors that name the column.</summary>
internal static class PreparationColumns
{
    /// <summary>The column of token ids: a vector of Int64, such as the Tokenize transform writes.</summary>
    /// <exception cref="ArgumentException">The column is missing or is not a vector of Int64.</exception>
    public static DataViewSchema.Column TokenColumn(IDataView data, string columnName, string parameterName)
    {
        var column = Find(data, columnName, parameterName);
        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Int64)
            throw new ArgumentException(
                $"Column '{columnName}' is {column.Type}; token ids must be a vector of Int64, as the Tokenize transform writes. " +
                "For a text column, pass a tokenizer.", parameterName);
        return column;
    }

    /// <summary>The column of text to tokenize.</summary>
    /// <exception cref="ArgumentException">The column is missing or is not text.</exception>
    public static DataViewSchema.Column TextColumn(IDataView data, string columnName, string parameterName)
    {
        var column = Find(data, columnName, parameterName);
        if (column.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{columnName}' is {column.Type}, not text.", parameterName);
        return column;
    }

    private static DataViewSchema.Column Find(IDataView data, string columnName, string parameterName)
    {
        if (string.IsNullOrEmpty(columnName))
            throw new ArgumentException("A column name is needed.", parameterName);
        return data.Schema.GetColumnOrNull(columnName) is { IsHidden: false } column
            ? column
            : throw new ArgumentException($"The input has no column '{columnName}'.", parameterName);
    }
}

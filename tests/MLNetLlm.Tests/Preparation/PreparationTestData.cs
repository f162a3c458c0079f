using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Preparation;

/// <summary>A document of token ids, as the Tokenize transform's output column holds them.</summary>
public sealed class TokenDocument
{
    public string Id { get; set; } = "";

    [VectorType]
    public long[] Tokens { get; set; } = [];
}

/// <summary>A document of text.</summary>
public sealed class TextDocument
{
    public string Text { get; set; } = "";
}

/// <summary>Builds small corpora and reads windows back.</summary>
internal static class PreparationTestData
{
    public static IDataView Tokens(MLContext ml, params long[][] documents) =>
        ml.Data.LoadFromEnumerable(documents.Select((tokens, i) => new TokenDocument { Id = $"d{i}", Tokens = tokens }).ToList());

    /// <summary>The tokens <c>1..n</c> as one document: a window's values are its stream positions plus one.</summary>
    public static IDataView Counting(MLContext ml, int n) => Tokens(ml, [.. Enumerable.Range(1, n).Select(i => (long)i)]);

    /// <summary>Every row of a windows view as (inputs, targets).</summary>
    public static List<(long[] Inputs, long[] Targets)> ReadWindows(IDataView windows,
        string inputs = "InputIds", string targets = "TargetIds")
    {
        var rows = new List<(long[], long[])>();
        var inputColumn = windows.Schema[inputs];
        var targetColumn = windows.Schema[targets];
        using var cursor = windows.GetRowCursor([inputColumn, targetColumn]);
        var inputGetter = cursor.GetGetter<VBuffer<long>>(inputColumn);
        var targetGetter = cursor.GetGetter<VBuffer<long>>(targetColumn);
        VBuffer<long> inputValue = default, targetValue = default;
        while (cursor.MoveNext())
        {
            inputGetter(ref inputValue);
            targetGetter(ref targetValue);
            rows.Add((inputValue.DenseValues().ToArray(), targetValue.DenseValues().ToArray()));
        }
        return rows;
    }

    /// <summary>The (Id, Tokens) rows of a token corpus view.</summary>
    public static List<(string Id, long[] Tokens)> ReadDocuments(IDataView data)
    {
        var rows = new List<(string, long[])>();
        using var cursor = data.GetRowCursor(data.Schema);
        var idGetter = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Id"]);
        var tokenGetter = cursor.GetGetter<VBuffer<long>>(data.Schema["Tokens"]);
        ReadOnlyMemory<char> id = default;
        VBuffer<long> tokens = default;
        while (cursor.MoveNext())
        {
            idGetter(ref id);
            tokenGetter(ref tokens);
            rows.Add((id.ToString(), tokens.DenseValues().ToArray()));
        }
        return rows;
    }
}

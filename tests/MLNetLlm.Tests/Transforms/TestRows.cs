using Microsoft.ML;

namespace MLNetLlm.Tests.Transforms;

public sealed class TextRow
{
    public string? Text { get; set; }
}

public sealed class NumberRow
{
    public float Text { get; set; }
}

public sealed class LabeledText
{
    public string? Text { get; set; }
    public string? Label { get; set; }
}

public sealed class BodyRow
{
    public string? Body { get; set; }
}

public sealed class TokensRow
{
    public long[] Tokens { get; set; } = [];
}

public sealed class TokenizedPrediction
{
    public long[] Tokens { get; set; } = [];
}

internal static class TestData
{
    public static IDataView Texts(MLContext ml, params string?[] texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());

    public static IDataView Numbers(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });

    public static IDataView NoTextColumn(MLContext ml) => ml.Data.LoadFromEnumerable(new[] { new BodyRow { Body = "a" } });
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Sampling;

/// <summary>A row of the small in-memory test tables.</summary>
public sealed class SampleRow
{
    public long Id { get; set; }

    public string Label { get; set; } = "";

    public float Weight { get; set; } = 1;

    public int Group { get; set; }

    [VectorType(2)]
    public float[] Features { get; set; } = [0, 0];
}

internal static class SamplingTestData
{
    /// <summary>Rows with ids 0..n-1, labels from <paramref name="label"/>, weight 1, group id / 10.</summary>
    public static IDataView Rows(MLContext ml, int count, Func<int, string>? label = null, Func<int, float>? weight = null) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new SampleRow
        {
            Id = i,
            Label = label?.Invoke(i) ?? "A",
            Weight = weight?.Invoke(i) ?? 1,
            Group = i / 10,
            Features = [i, -i],
        }).ToList());

    /// <summary>Labels with the given class sizes, in blocks: "A" × a, then "B" × b, ...</summary>
    public static Func<int, string> Blocks(params int[] sizes) => i =>
    {
        for (var c = 0; c < sizes.Length; c++)
        {
            if (i < sizes[c])
                return ((char)('A' + c)).ToString();
            i -= sizes[c];
        }
        throw new ArgumentOutOfRangeException(nameof(i));
    };

    public static long[] Ids(IDataView view) => view.GetColumn<long>("Id").ToArray();

    public static string[] Labels(IDataView view) => view.GetColumn<string>("Label").ToArray();
}

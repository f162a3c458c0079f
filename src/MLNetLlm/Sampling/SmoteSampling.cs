using System.Numerics.Tensors;
using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of SMOTE oversampling (<see cref="LlmDataCatalog.SampleSmote(IDataView, SmoteOptions)"/>).</summary>
public sealed class SmoteOptions
{
    /// <summary>The class column: key, bool, text or an integer type. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The float-vector column the synthetic rows are interpolated in. Default <c>"Features"</c>.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>k: how many nearest neighbours (Euclidean, within the class) a synthetic row may be drawn towards. Default 5.</summary>
    public int NeighborCount { get; set; } = 5;

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>
/// SMOTE (Chawla et al. 2002): every class smaller than the largest gets synthetic rows until it is as large.
/// A synthetic row lies on the segment between a row of the class (its base row) and one of that row's k
/// nearest neighbours in the class; every other column is copied from the base row.
/// </summary>
internal static class SmoteSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, SmoteOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var label = SamplingArguments.Column(data, options.LabelColumnName, nameof(options.LabelColumnName), "label");
        var features = SamplingArguments.Column(data, options.FeatureColumnName, nameof(options.FeatureColumnName), "feature");
        var strata = Strata.Create(label, nameof(options.LabelColumnName));
        if (features.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
            throw new ArgumentException(
                $"Feature column '{features.Name}' has type {features.Type}; SMOTE interpolates float vectors.",
                nameof(options.FeatureColumnName));
        if (options.NeighborCount < 1)
            throw new ArgumentOutOfRangeException(nameof(options.NeighborCount), options.NeighborCount, "SMOTE needs at least one neighbour.");
        var random = new Random(environment.NextSeed("Sampling", options.Seed));

        var rowsPerClass = CountClasses(data, strata);
        var rowCount = rowsPerClass.Sum();
        var largest = rowsPerClass.Count == 0 ? 0 : rowsPerClass.Max();
        var minorities = Enumerable.Range(0, rowsPerClass.Count).Where(c => rowsPerClass[c] < largest).ToArray();
        foreach (var minority in minorities)
        {
            if (rowsPerClass[minority] < options.NeighborCount + 1)
                throw new ArgumentOutOfRangeException(nameof(options.NeighborCount), options.NeighborCount,
                    $"SMOTE with {options.NeighborCount} neighbours needs at least {options.NeighborCount + 1} rows in each " +
                    $"class it oversamples; class '{strata.Describe(minority)}' of column '{label.Name}' has {rowsPerClass[minority]}.");
        }

        var members = CollectMinorityRows(data, strata, features, minorities);
        var extras = new List<SelectedRow>();
        var vectors = new List<float[]>();
        foreach (var minority in minorities)
        {
            var rows = members[minority];
            var neighbors = new NearestNeighbors(rows.Vectors, options.NeighborCount);
            var order = Enumerable.Range(0, rows.Count).ToArray();
            random.Shuffle(order);
            for (long i = 0; i < largest - rows.Count; i++)
            {
                var baseRow = order[i % rows.Count];
                var neighbor = neighbors.Of(baseRow)[random.Next(options.NeighborCount)];
                var gap = (float)random.NextDouble();
                var from = rows.Vectors[baseRow];
                var to = rows.Vectors[neighbor];
                var synthetic = new float[from.Length];
                for (var d = 0; d < synthetic.Length; d++)
                    synthetic[d] = from[d] + gap * (to[d] - from[d]);
                extras.Add(new SelectedRow(rows.Positions[baseRow], vectors.Count));
                vectors.Add(synthetic);
            }
        }
        var sorted = extras.OrderBy(e => e.Position).ThenBy(e => e.Synthetic).ToArray();
        SampledViews.Log(environment, "SampleSmote", rowCount + sorted.Length, 2);
        return new SelectedRowsDataView(data, () => RowSequences.AllRowsPlus(rowCount, sorted), rowCount + sorted.Length,
            features, vectors);
    }

    private static List<long> CountClasses(IDataView data, Strata strata)
    {
        var rows = new List<long>();
        using var cursor = data.GetRowCursor([strata.Column]);
        var readClass = strata.Bind(cursor);
        while (cursor.MoveNext())
        {
            var c = readClass();
            if (c == rows.Count)
                rows.Add(0);
            rows[c]++;
        }
        return rows;
    }

    /// <summary>The positions and dense feature vectors of the rows of the <paramref name="minorities"/> classes.</summary>
    private static Dictionary<int, ClassRows> CollectMinorityRows(IDataView data, Strata strata, DataViewSchema.Column features,
        int[] minorities)
    {
        var members = minorities.ToDictionary(c => c, _ => new ClassRows());
        using var cursor = data.GetRowCursor([strata.Column, features]);
        var readClass = strata.Bind(cursor);
        var readVector = cursor.GetGetter<VBuffer<float>>(features);
        var vector = default(VBuffer<float>);
        long position = -1;
        while (cursor.MoveNext())
        {
            position++;
            if (!members.TryGetValue(readClass(), out var rows))
                continue;
            readVector(ref vector);
            var dense = new float[vector.Length];
            vector.CopyTo(dense);
            if (rows.Count > 0 && dense.Length != rows.Vectors[0].Length)
                throw new ArgumentException(
                    $"Feature column '{features.Name}' holds vectors of lengths {rows.Vectors[0].Length} and {dense.Length} " +
                    "in one class: SMOTE interpolates vectors of equal length.", nameof(SmoteOptions.FeatureColumnName));
            rows.Positions.Add(position);
            rows.Vectors.Add(dense);
        }
        return members;
    }

    private sealed class ClassRows
    {
        public List<long> Positions { get; } = [];

        public List<float[]> Vectors { get; } = [];

        public int Count => Positions.Count;
    }

    /// <summary>
    /// The k nearest neighbours (Euclidean distance, ties to the lower index) of a row among the rows of its class,
    /// found by brute force on first use and kept: O(n·(d + k)) time per base row, O(n·k) memory per class.
    /// </summary>
    private sealed class NearestNeighbors(List<float[]> vectors, int k)
    {
        private readonly Dictionary<int, int[]> _cache = [];

        public int[] Of(int row)
        {
            if (_cache.TryGetValue(row, out var known))
                return known;
            // The k best so far, nearest first; a candidate enters by insertion, so equal distances keep index order.
            var nearest = new int[k];
            var distances = new float[k];
            var found = 0;
            for (var i = 0; i < vectors.Count; i++)
            {
                if (i == row)
                    continue;
                var distance = TensorPrimitives.Distance<float>(vectors[row], vectors[i]);
                if (found == k && !(distance < distances[k - 1]))
                    continue;
                var slot = found < k ? found++ : k - 1;
                while (slot > 0 && distances[slot - 1] > distance)
                {
                    nearest[slot] = nearest[slot - 1];
                    distances[slot] = distances[slot - 1];
                    slot--;
                }
                nearest[slot] = i;
                distances[slot] = distance;
            }
            _cache[row] = nearest;
            return nearest;
        }
    }
}

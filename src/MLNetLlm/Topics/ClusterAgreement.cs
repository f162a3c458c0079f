namespace MLNetLlm.Topics;

/// <summary>
/// Agreement between two labelings of the same items (any integer labels; −1 is an ordinary label here):
/// normalized mutual information and the adjusted Rand index, both as scikit-learn defines them.
/// </summary>
public static class ClusterAgreement
{
    /// <summary>
    /// NMI with the arithmetic mean: <c>I(U; V) / ((H(U) + H(V)) / 2)</c>, natural logarithms, 0 to 1. When both
    /// labelings have a single label it is 1 (they agree), as in scikit-learn.
    /// </summary>
    /// <exception cref="ArgumentException">The labelings differ in length or are empty.</exception>
    public static double NormalizedMutualInformation(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        var (table, rows, columns, n) = Contingency(predicted, truth);
        double hU = Entropy(rows.Values, n), hV = Entropy(columns.Values, n);
        if (hU == 0 && hV == 0)
            return 1;
        double mutual = 0;
        foreach (var ((u, v), count) in table)
            mutual += count / n * Math.Log(n * count / ((double)rows[u] * columns[v]));
        double mean = (hU + hV) / 2;
        return mean == 0 ? 0 : Math.Clamp(mutual / mean, 0, 1);
    }

    /// <summary>
    /// ARI (Hubert and Arabie 1985): <c>(Σ C(n_ij, 2) − E) / ((Σ C(a_i, 2) + Σ C(b_j, 2)) / 2 − E)</c> with
    /// <c>E = Σ C(a_i, 2) · Σ C(b_j, 2) / C(n, 2)</c>; 1 for identical partitions, about 0 for random ones. When the
    /// denominator is 0 (both labelings trivial) it is 1.
    /// </summary>
    /// <exception cref="ArgumentException">The labelings differ in length or are empty.</exception>
    public static double AdjustedRandIndex(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        var (table, rows, columns, n) = Contingency(predicted, truth);
        static double Pairs(double x) => x * (x - 1) / 2;
        double index = table.Values.Sum(c => Pairs(c));
        double sumRows = rows.Values.Sum(c => Pairs(c)), sumColumns = columns.Values.Sum(c => Pairs(c));
        double expected = sumRows * sumColumns / Pairs(n);
        double maximum = (sumRows + sumColumns) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }

    private static (Dictionary<(int, int), int> Table, Dictionary<int, int> Rows, Dictionary<int, int> Columns, double N) Contingency(
        IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
            throw new ArgumentException($"The labelings differ in length: {predicted.Count} predicted, {truth.Count} true.", nameof(truth));
        if (predicted.Count == 0)
            throw new ArgumentException("The labelings are empty.", nameof(predicted));
        var table = new Dictionary<(int, int), int>();
        var rows = new Dictionary<int, int>();
        var columns = new Dictionary<int, int>();
        for (int i = 0; i < predicted.Count; i++)
        {
            table[(predicted[i], truth[i])] = table.GetValueOrDefault((predicted[i], truth[i])) + 1;
            rows[predicted[i]] = rows.GetValueOrDefault(predicted[i]) + 1;
            columns[truth[i]] = columns.GetValueOrDefault(truth[i]) + 1;
        }
        return (table, rows, columns, predicted.Count);
    }

    private static double Entropy(IEnumerable<int> counts, double n) => -counts.Sum(c => c / n * Math.Log(c / n));
}

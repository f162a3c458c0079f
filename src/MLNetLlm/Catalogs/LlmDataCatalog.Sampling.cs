using Microsoft.ML;
using MLNetLlm.Sampling;

namespace MLNetLlm;

/// <remarks>
/// <para><b>Sampling.</b> Every sampling method takes an <see cref="IDataView"/> and returns one with exactly the same
/// schema (the same <see cref="DataViewSchema"/> object): the chosen rows, streamed from the input in input order,
/// a row drawn k times appearing k times in a row. The choice is made when the method is called (the passes
/// listed on each method) and only row positions are kept, so memory is proportional to the sample, not the data;
/// each cursor over the result then streams the input once more, skipping the rows not chosen. The input must give
/// the same rows in the same order on every cursor (any ML.NET loader or transform does).</para>
/// <para>Seeds: the <c>seed</c> argument when given, else the next seed of the <see cref="MLContext"/>, so
/// <c>new MLContext(seed: 1)</c> makes every sample reproducible. An empty input gives an empty output without
/// error, whatever count was asked for. Errors name the argument or column at fault.</para>
/// <para>How these differ from ML.NET's own operations: <c>ShuffleRows</c> reorders rows (a pool of rows in memory)
/// but keeps them all; <c>TakeRows</c>/<c>SkipRows</c> cut by position, not at random; <c>BootstrapSample</c> gives
/// each row a Poisson(1) number of copies, so its size varies around the input size; <c>TrainTestSplit</c> splits
/// by a hash of a random column, so the split sizes are only approximately the fraction. The methods here give
/// exact sizes, keep input order, and add strata, weights, groups and synthetic rows.</para>
/// </remarks>
public sealed partial class LlmDataCatalog
{
    /// <summary>
    /// Simple random sample of exactly <paramref name="count"/> rows, without replacement: every subset of that
    /// size is equally likely.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="count">How many rows to keep; more than the input has (when it has any) is an error.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>No pass when the input knows its row count (Floyd's algorithm on positions), else one pass (a
    /// uniform reservoir of row positions); memory O(count). Unlike <c>TakeRows</c> the rows are
    /// random; unlike <c>ShuffleRows</c> + <c>TakeRows</c> the sample is uniform over the whole input, not over a
    /// shuffle pool, and stays in input order.</remarks>
    public IDataView SampleRandom(IDataView data, long count, int? seed = null) =>
        SampleRandom(data, new RandomSamplingOptions { Count = count, Seed = seed });

    /// <summary>
    /// Simple random sample of exactly <c>round(fraction × rows)</c> rows, without replacement.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="fraction">The fraction of rows to keep, in (0, 1].</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>No pass when the input knows its row count, else two (count, then reservoir); memory O(sample).
    /// Unlike <c>TrainTestSplit</c> the size is exact.</remarks>
    public IDataView SampleRandomFraction(IDataView data, double fraction, int? seed = null) =>
        SampleRandom(data, new RandomSamplingOptions { Fraction = SamplingArguments.Fraction(fraction, nameof(fraction)), Seed = seed });

    /// <summary>Simple random sample without replacement, by count or by fraction.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The count or fraction, and the seed.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>See <see cref="SampleRandom(IDataView, long, int?)"/> and <see cref="SampleRandomFraction"/>.</remarks>
    public IDataView SampleRandom(IDataView data, RandomSamplingOptions options) =>
        RandomSampling.Sample(Environment, data, options);

    /// <summary>
    /// Stratified sample with proportional allocation: from each value of the label column, exactly
    /// <c>round(fraction × rows with that value)</c> rows, chosen uniformly without replacement.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="labelColumnName">The column that defines the strata: key, bool, text or an integer type.</param>
    /// <param name="fraction">The fraction of each stratum to keep, in (0, 1].</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>Two passes reading only the label column (count per stratum, then a reservoir per stratum); memory
    /// O(sample + strata). ML.NET has no stratified sampler; <c>TrainTestSplit</c>'s <c>samplingKeyColumnName</c>
    /// keeps groups together rather than proportions exact.</remarks>
    public IDataView SampleStratified(IDataView data, string labelColumnName, double fraction, int? seed = null) =>
        SampleStratified(data, new StratifiedSamplingOptions
        {
            LabelColumnName = labelColumnName,
            Fraction = SamplingArguments.Fraction(fraction, nameof(fraction)),
            Seed = seed,
        });

    /// <summary>Stratified sample without replacement: proportional (a fraction) or fixed (a count per stratum) allocation.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The label column, the allocation and the seed.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>Proportional: two passes. Fixed count: one pass (a reservoir per stratum); a stratum with fewer rows
    /// than the count is an error naming it. Memory O(sample + strata). Every distinct label value is a stratum,
    /// including a missing key or empty text; float and vector labels are refused (map them to a key first).</remarks>
    public IDataView SampleStratified(IDataView data, StratifiedSamplingOptions options) =>
        StratifiedSampling.Sample(Environment, data, options);

    /// <summary>Systematic sample: a uniform random start in <c>[0, interval)</c>, then every <paramref name="interval"/>-th row.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="interval">The distance between kept rows, at least 1.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>About <c>rows / interval</c> rows, in input order.</returns>
    /// <remarks>No pass at call time and O(1) memory: the result streams the input and keeps every
    /// <paramref name="interval"/>-th row. Its row count is known when the input's is. Like <c>TakeRows</c> it cuts by
    /// position, but spread over the whole input; beware of periodic order in the input.</remarks>
    public IDataView SampleSystematic(IDataView data, long interval, int? seed = null) =>
        SampleSystematic(data, new SystematicSamplingOptions { Interval = interval, Seed = seed });

    /// <summary>Systematic sample by interval, or of an exact count at the fractional interval <c>rows / count</c>.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The interval or count, and the seed.</param>
    /// <returns>The chosen rows in input order.</returns>
    /// <remarks>Interval: no pass, O(1) memory. Count: one counting pass if the input does not know its row count,
    /// O(1) memory; more rows than the input has is an error.</remarks>
    public IDataView SampleSystematic(IDataView data, SystematicSamplingOptions options) =>
        SystematicSampling.Sample(Environment, data, options);

    /// <summary>
    /// Cluster sample: <c>round(fraction × groups)</c> distinct values of the group column chosen uniformly at
    /// random, and every row of each chosen group kept.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="groupColumnName">The column that defines the groups: key, bool, text or an integer type.</param>
    /// <param name="fraction">The fraction of groups to keep, in (0, 1].</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The rows of the chosen groups in input order.</returns>
    /// <remarks>Two passes reading only the group column (distinct groups, then the rows of the chosen ones);
    /// memory O(groups + sample). <c>TrainTestSplit</c> with a <c>samplingKeyColumnName</c> also keeps groups whole,
    /// but chooses them by hash, so the number of groups is only approximately the fraction.</remarks>
    public IDataView SampleClusters(IDataView data, string groupColumnName, double fraction, int? seed = null) =>
        SampleClusters(data, new ClusterSamplingOptions
        {
            GroupColumnName = groupColumnName,
            Fraction = SamplingArguments.Fraction(fraction, nameof(fraction)),
            Seed = seed,
        });

    /// <summary>Cluster sample of a number or a fraction of the groups.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The group column, the group count or fraction, and the seed.</param>
    /// <returns>The rows of the chosen groups in input order.</returns>
    /// <remarks>See <see cref="SampleClusters(IDataView, string, double, int?)"/>. More groups than the column has is an error.</remarks>
    public IDataView SampleClusters(IDataView data, ClusterSamplingOptions options) =>
        ClusterSampling.Sample(Environment, data, options);

    /// <summary>
    /// Importance sample of exactly <paramref name="count"/> draws with probability proportional to the weight column.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="weightColumnName">A float or double column of finite, non-negative weights, not all zero.</param>
    /// <param name="count">How many rows to draw.</param>
    /// <param name="withReplacement">Whether a row may be drawn more than once.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The drawn rows in input order (a row drawn k times appears k times).</returns>
    /// <remarks>
    /// <para>Without replacement: one pass, the weighted reservoir A-Res of Efraimidis and Spirakis (each draw picks
    /// a remaining row with probability proportional to its weight); rows of weight zero are never drawn and
    /// <paramref name="count"/> above the number of positive-weight rows is an error. Memory O(count).</para>
    /// <para>With replacement: two passes (sum of weights, then a multinomial draw of sorted uniform points along
    /// the cumulative weights): each draw picks row i with probability <c>wᵢ / Σw</c>. Memory O(count).</para>
    /// <para>ML.NET has no weighted sampler: its trainers take an example-weight column instead.</para>
    /// </remarks>
    public IDataView SampleImportance(IDataView data, string weightColumnName, long count, bool withReplacement = false, int? seed = null) =>
        SampleImportance(data, new ImportanceSamplingOptions
        {
            WeightColumnName = weightColumnName,
            Count = count,
            WithReplacement = withReplacement,
            Seed = seed,
        });

    /// <summary>Importance sample: probability proportional to a weight column, with or without replacement.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The weight column, the count, replacement and the seed.</param>
    /// <returns>The drawn rows in input order.</returns>
    /// <remarks>See <see cref="SampleImportance(IDataView, string, long, bool, int?)"/>.</remarks>
    public IDataView SampleImportance(IDataView data, ImportanceSamplingOptions options) =>
        ImportanceSampling.Sample(Environment, data, options);

    /// <summary>
    /// Stratified importance sample: within each value of the label column, draws with probability proportional to
    /// the weight column; the number of draws per stratum is proportional (a fraction) or fixed.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The label and weight columns, the allocation, replacement and the seed.</param>
    /// <returns>The drawn rows in input order.</returns>
    /// <remarks>Without replacement: one pass for a fixed count, two for a fraction; with replacement: two passes.
    /// Memory O(sample + strata). A stratum whose weights are all zero, or that has fewer positive-weight rows than
    /// its draws without replacement, is an error naming it.</remarks>
    public IDataView SampleStratifiedImportance(IDataView data, StratifiedImportanceSamplingOptions options) =>
        ImportanceSampling.Sample(Environment, data, options);

    /// <summary>Bootstrap sample: exactly <paramref name="count"/> rows drawn uniformly with replacement (by default as many as the input has).</summary>
    /// <param name="data">The input data.</param>
    /// <param name="count">How many draws; by default the input's row count.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The drawn rows in input order; about 36.8% (1/e) of the input rows are absent when count equals the row count.</returns>
    /// <remarks>No pass at call time when the input knows its row count (positions drawn directly), else two
    /// (count, then a multinomial walk over sorted uniform points). Memory O(count). ML.NET's <c>BootstrapSample</c> streams in O(1)
    /// memory but gives each row a Poisson(1) number of copies, so its size varies; this one has an exact size.</remarks>
    public IDataView SampleBootstrap(IDataView data, long? count = null, int? seed = null) =>
        BootstrapSampling.Sample(Environment, data, count, seed);

    /// <summary>Balanced sample: equal row counts for every value of the label column.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="labelColumnName">The class column: key, bool, text or an integer type.</param>
    /// <param name="mode">Undersample every class to the smallest, or oversample every class to the largest.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>The rows in input order; an oversampled row's copies follow it.</returns>
    /// <remarks>Two passes reading only the label column (class counts, then the draw); memory O(classes + chosen
    /// positions; for oversampling, the added copies). Undersampling draws without replacement; oversampling keeps
    /// every row and adds copies drawn with replacement.</remarks>
    public IDataView SampleBalanced(IDataView data, string labelColumnName, BalancingMode mode = BalancingMode.Undersample, int? seed = null) =>
        BalancedSampling.Sample(Environment, data, labelColumnName, mode, seed);

    /// <summary>
    /// SMOTE oversampling: every class smaller than the largest gets synthetic rows until it is as large. Each
    /// synthetic row's features lie on the segment between a row of its class (its base row) and one of that row's
    /// k nearest neighbours in the class, at a uniform random point.
    /// </summary>
    /// <param name="data">The input data.</param>
    /// <param name="labelColumnName">The class column: key, bool, text or an integer type.</param>
    /// <param name="featureColumnName">The float-vector column to interpolate in.</param>
    /// <param name="neighborCount">k, the number of nearest neighbours (Euclidean, within the class). Each
    /// oversampled class needs at least k + 1 rows.</param>
    /// <param name="seed">The random seed; by default the next seed of the <see cref="MLContext"/>.</param>
    /// <returns>Every input row in input order, each followed by the synthetic rows made from it.</returns>
    /// <remarks>
    /// <para>Other columns of a synthetic row: copied unchanged from its base row (the label is therefore the
    /// class's own; an id or text column repeats the base row's value). Base rows are used in turn in a random
    /// order, so each is used <c>⌊m/n⌋</c> or <c>⌈m/n⌉</c> times for m synthetic rows from n rows.</para>
    /// <para>Two passes (class counts, then the feature vectors of the smaller classes). Memory: the feature
    /// vectors of the smaller classes and of the synthetic rows, plus k neighbours per used base row; time
    /// O(n² · d) per class for the brute-force neighbour search. ML.NET has no SMOTE.</para>
    /// </remarks>
    public IDataView SampleSmote(IDataView data, string labelColumnName = "Label", string featureColumnName = "Features",
        int neighborCount = 5, int? seed = null) =>
        SampleSmote(data, new SmoteOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NeighborCount = neighborCount,
            Seed = seed,
        });

    /// <summary>SMOTE oversampling with all its settings.</summary>
    /// <param name="data">The input data.</param>
    /// <param name="options">The label and feature columns, k and the seed.</param>
    /// <returns>Every input row in input order, each followed by the synthetic rows made from it.</returns>
    /// <remarks>See <see cref="SampleSmote(IDataView, string, string, int, int?)"/>.</remarks>
    public IDataView SampleSmote(IDataView data, SmoteOptions options) =>
        SmoteSampling.Sample(Environment, data, options);
}

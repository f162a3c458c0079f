namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// UMAP's layout optimisation (umap-learn's <c>optimize_layout_euclidean</c>, single-threaded so that a seed fixes the
/// result): stochastic gradient descent on the fuzzy cross-entropy between the graph and the layout. Edge (i, j) of
/// weight w is sampled every <c>maxWeight / w</c> epochs; each sample pulls i towards j with the attractive gradient
/// <c>−2ab·d^(2(b−1)) / (1 + a·d^(2b)) · (yᵢ − yⱼ)</c> and pushes i away from <see cref="NegativeSamples"/> random vertices
/// per sample with the repulsive gradient <c>2b / ((0.001 + d²)(1 + a·d^(2b))) · (yᵢ − yₖ)</c>; every gradient component
/// is clipped to ±4 and the learning rate falls linearly from its start to 0 over the epochs.
/// </summary>
internal static class UmapLayout
{
    public const int NegativeSamples = 5;
    private const float Clip = 4f;

    /// <summary>
    /// Moves the <paramref name="heads"/> rows (in place) along the <paramref name="graph"/>'s edges to <paramref name="tails"/>:
    /// in fit both are the same array and tails move too; in transform the tails are the fixed training layout.
    /// </summary>
    public static void Optimize(float[][] heads, float[][] tails, UmapGraph graph, float a, float b, int epochs, float learningRate, Random random)
    {
        bool moveTails = ReferenceEquals(heads, tails);
        int dimensions = heads[0].Length;
        float maxWeight = graph.Weights.Max();
        var epochsPerSample = graph.Weights.Select(w => (double)maxWeight / w).ToArray();
        var epochsPerNegativeSample = epochsPerSample.Select(e => e / NegativeSamples).ToArray();
        var nextSample = (double[])epochsPerSample.Clone();
        var nextNegativeSample = (double[])epochsPerNegativeSample.Clone();

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float alpha = learningRate * (1f - (float)epoch / epochs);
            for (int e = 0; e < graph.Edges; e++)
            {
                if (nextSample[e] > epoch)
                    continue;
                var current = heads[graph.Heads[e]];
                var other = tails[graph.Tails[e]];
                float distanceSquared = SquaredDistance(current, other);
                float attraction = 0f;
                if (distanceSquared > 0)
                {
                    float power = MathF.Pow(distanceSquared, b); // d^(2b); d^(2(b−1)) is power / d²
                    attraction = -2f * a * b * power / distanceSquared / (a * power + 1f);
                }
                for (int d = 0; d < dimensions; d++)
                {
                    float gradient = Math.Clamp(attraction * (current[d] - other[d]), -Clip, Clip);
                    current[d] += gradient * alpha;
                    if (moveTails)
                        other[d] -= gradient * alpha;
                }
                nextSample[e] += epochsPerSample[e];

                int negatives = (int)((epoch - nextNegativeSample[e]) / epochsPerNegativeSample[e]);
                for (int p = 0; p < negatives; p++)
                {
                    int k = random.Next(tails.Length);
                    if (moveTails && k == graph.Heads[e])
                        continue;
                    var sample = tails[k];
                    distanceSquared = SquaredDistance(current, sample);
                    if (distanceSquared <= 0)
                        continue;
                    float repulsion = 2f * b / ((0.001f + distanceSquared) * (a * MathF.Pow(distanceSquared, b) + 1f));
                    for (int d = 0; d < dimensions; d++)
                        current[d] += Math.Clamp(repulsion * (current[d] - sample[d]), -Clip, Clip) * alpha;
                }
                nextNegativeSample[e] += negatives * epochsPerNegativeSample[e];
            }
        }
    }

    private static float SquaredDistance(float[] x, float[] y)
    {
        float sum = 0;
        for (int d = 0; d < x.Length; d++)
        {
            float difference = x[d] - y[d];
            sum += difference * difference;
        }
        return sum;
    }
}

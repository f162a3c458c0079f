using System.Numerics.Tensors;
using MLNetLlm.Generation;

namespace MLNetLlm.Onnx;

/// <summary>
/// Picks the next token from one row of logits, as <see cref="GenerationOptions"/> say: argmax, or temperature,
/// top-k and top-p then a draw from a seeded <see cref="Random"/>. Works on spans over ONNX Runtime's output buffer.
/// </summary>
internal sealed class LogitsSampler
{
    private readonly GenerationOptions _options;
    private readonly Random? _random;
    private float[] _probabilities = [];
    private int[] _order = [];
    private float[] _scratch = [];

    public LogitsSampler(GenerationOptions options)
    {
        _options = options;
        if (!options.Greedy) _random = options.Seed is ulong seed ? new Random(unchecked((int)(seed ^ (seed >> 32)))) : new Random();
    }

    /// <summary>The next token id for <paramref name="logits"/> (one row, the vocabulary); greedy takes the first of equal largest.</summary>
    public int Next(ReadOnlySpan<float> logits) => _options.Greedy ? TensorPrimitives.IndexOfMax(logits) : Sample(logits);

    private int Sample(ReadOnlySpan<float> logits)
    {
        int vocabulary = logits.Length;
        if (_probabilities.Length != vocabulary)
        {
            _probabilities = new float[vocabulary];
            _order = new int[vocabulary];
            _scratch = new float[vocabulary];
        }
        var p = _probabilities.AsSpan();
        TensorPrimitives.Multiply(logits, (float)(1.0 / _options.Temperature), p);

        if (_options.TopK is int k && k < vocabulary)
        {
            float kth = KthLargest(p, k);
            for (int i = 0; i < vocabulary; i++)
                if (p[i] < kth) p[i] = float.NegativeInfinity;
        }
        Softmax(p);
        if (_options.TopP is double topP && topP < 1)
            KeepNucleus(p, topP);
        return Draw(p);
    }

    /// <summary>The k-th largest value (each tie counted), found on a sorted copy.</summary>
    private float KthLargest(ReadOnlySpan<float> values, int k)
    {
        values.CopyTo(_scratch);
        Array.Sort(_scratch);
        return _scratch[^k];
    }

    private static readonly Comparer<float> DescendingOrder = Comparer<float>.Create((a, b) => b.CompareTo(a));

    /// <summary>Softmax in place, shifted by the largest value first so no exponential overflows (masked −∞ logits give 0).</summary>
    private static void Softmax(Span<float> values)
    {
        TensorPrimitives.Subtract(values, TensorPrimitives.Max(values), values);
        TensorPrimitives.SoftMax(values, values);
    }

    /// <summary>Zeroes every token whose more likely tokens already hold more than <paramref name="topP"/> of the mass;
    /// the most likely token always stays.</summary>
    private void KeepNucleus(Span<float> probabilities, double topP)
    {
        var order = _order;
        for (int i = 0; i < order.Length; i++) order[i] = i;
        probabilities.CopyTo(_scratch);
        Array.Sort(_scratch, order, DescendingOrder);
        double before = 0;
        foreach (int id in order)
        {
            double p = probabilities[id];
            if (before > topP) probabilities[id] = 0;
            before += p;
        }
    }

    /// <summary>Draws an index with probability proportional to its (not necessarily normalised) weight.</summary>
    private int Draw(ReadOnlySpan<float> weights)
    {
        double target = _random!.NextDouble() * TensorPrimitives.Sum(weights);
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            last = i;
            target -= weights[i];
            if (target < 0) return i;
        }
        return last;
    }
}

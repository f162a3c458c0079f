using System.Numerics.Tensors;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Skip-gram with negative sampling, as word2vec's C code trains it, single-threaded so a seed gives identical
/// vectors: for each kept word and each context word within a window drawn from 1..Window, the context word's input
/// vector learns to score the word high and NegativeSamples words drawn from unigram^0.75 low (logistic loss).
/// </summary>
internal sealed class SkipGramTrainer
{
    private const int NegativeTableSize = 1_000_000;
    private const float MaxScore = 6; // beyond ±6 the sigmoid is taken as 0 or 1, as word2vec does
    private const float FinalLearningRateFraction = 1e-4f;

    private readonly SkipGramOptions _options;
    private readonly SkipGramVocabulary _vocabulary;
    private readonly int[] _negativeTable;
    private readonly float[] _keepProbability;
    private ulong _random;

    public SkipGramTrainer(SkipGramVocabulary vocabulary, SkipGramOptions options, int seed)
    {
        _vocabulary = vocabulary;
        _options = options;
        _random = (ulong)(uint)seed * 2654435761UL + 1;
        _negativeTable = BuildNegativeTable(vocabulary.Counts);
        _keepProbability = KeepProbabilities(vocabulary.Counts, options.SubsamplingThreshold);
    }

    /// <summary>
    /// Trains on <paramref name="documents"/> (vocabulary indices; contexts never cross documents) and returns the
    /// input vectors, shape (vocabulary, dimension) row-major.
    /// </summary>
    /// <exception cref="InvalidOperationException">Training diverged to NaN or infinity.</exception>
    public float[] Train(IReadOnlyList<int[]> documents, Action<string>? log = null)
    {
        int dimension = _options.Dimension;
        int words = _vocabulary.Count;
        var input = new float[(long)words * dimension];   // (V, D): the word vectors returned
        var output = new float[(long)words * dimension];  // (V, D): the context side, zero at start as in word2vec
        for (int i = 0; i < input.Length; i++)
            input[i] = (NextFloat() - 0.5f) / dimension;

        long total = (long)_options.Epochs * documents.Sum(d => (long)d.Length);
        long processed = 0;
        float rate = _options.LearningRate;
        var error = new float[dimension];
        var kept = new List<int>();
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            foreach (var document in documents)
            {
                Subsample(document, kept);
                for (int position = 0; position < kept.Count; position++)
                {
                    if ((processed & 1023) == 0)
                        rate = _options.LearningRate * Math.Max(1 - (float)processed / (total + 1), FinalLearningRateFraction);
                    processed++;
                    int window = 1 + (int)(NextUInt() % (uint)_options.Window);
                    int word = kept[position];
                    for (int c = Math.Max(0, position - window); c <= Math.Min(kept.Count - 1, position + window); c++)
                        if (c != position)
                            TrainPair(input, output, kept[c], word, rate, error);
                }
                processed += document.Length - kept.Count; // thinned words still advance the schedule
            }
            log?.Invoke($"Skip-gram epoch {epoch + 1}/{_options.Epochs} done, learning rate {rate:G3}.");
        }

        if (!TensorPrimitives.IsFiniteAll(input))
            throw new InvalidOperationException(
                $"Skip-gram training diverged (a vector holds NaN or infinity); lower {nameof(SkipGramOptions.LearningRate)} (now {_options.LearningRate}).");
        return input;
    }

    /// <summary>One positive pair (context → word) and its negatives; word2vec's inner loop.</summary>
    private void TrainPair(float[] input, float[] output, int context, int word, float rate, float[] error)
    {
        int dimension = _options.Dimension;
        var contextVector = input.AsSpan(context * dimension, dimension);
        Array.Clear(error);
        for (int n = 0; n <= _options.NegativeSamples; n++)
        {
            int target;
            float label;
            if (n == 0)
            {
                target = word;
                label = 1;
            }
            else
            {
                target = _negativeTable[NextUInt() % NegativeTableSize];
                if (target == word)
                    continue;
                label = 0;
            }
            var targetVector = output.AsSpan(target * dimension, dimension);
            float score = TensorPrimitives.Dot(contextVector, targetVector);
            float gradient = score > MaxScore ? label - 1 : score < -MaxScore ? label : label - Sigmoid(score);
            gradient *= rate;
            TensorPrimitives.MultiplyAdd(targetVector, gradient, error, error);                  // error += g * target
            TensorPrimitives.MultiplyAdd(contextVector, gradient, targetVector, targetVector);   // target += g * context
        }
        TensorPrimitives.Add(contextVector, error, contextVector);
    }

    private void Subsample(int[] document, List<int> kept)
    {
        kept.Clear();
        foreach (int word in document)
            if (_keepProbability[word] >= 1 || _keepProbability[word] > NextFloat())
                kept.Add(word);
    }

    private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>A table where each word fills a share of slots proportional to count^0.75: a uniform slot is a negative draw.</summary>
    private static int[] BuildNegativeTable(long[] counts)
    {
        var table = new int[NegativeTableSize];
        double total = counts.Sum(c => Math.Pow(c, 0.75));
        int word = 0;
        double cumulative = Math.Pow(counts[0], 0.75) / total;
        for (int slot = 0; slot < table.Length; slot++)
        {
            table[slot] = word;
            if ((double)(slot + 1) / table.Length > cumulative && word < counts.Length - 1)
            {
                word++;
                cumulative += Math.Pow(counts[word], 0.75) / total;
            }
        }
        return table;
    }

    private static float[] KeepProbabilities(long[] counts, double threshold)
    {
        var keep = new float[counts.Length];
        double sample = threshold * counts.Sum();
        for (int i = 0; i < counts.Length; i++)
            keep[i] = threshold == 0 ? 1 : (float)((Math.Sqrt(counts[i] / sample) + 1) * sample / counts[i]);
        return keep;
    }

    // word2vec's linear congruential generator: fast, and the same sequence for a seed everywhere.
    private uint NextUInt()
    {
        _random = _random * 25214903917UL + 11;
        return (uint)(_random >> 16);
    }

    private float NextFloat() => (NextUInt() & 0xFFFFFF) / (float)0x1000000;
}

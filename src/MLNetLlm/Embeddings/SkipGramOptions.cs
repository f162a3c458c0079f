namespace MLNetLlm.Embeddings;

/// <summary>
/// Options of the skip-gram with negative sampling trainer (word2vec's SGNS, Mikolov et al. 2013). The defaults are
/// word2vec's for skip-gram, but with 5 epochs.
/// </summary>
public sealed record SkipGramOptions
{
    /// <summary>The length of each word vector. Default 100.</summary>
    public int Dimension { get; init; } = 100;

    /// <summary>The largest distance between a word and a context word; each position draws its window uniformly from 1 to this, so near words count more. Default 5.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative words drawn per (word, context) pair, from the unigram distribution raised to 0.75. Default 5.</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Words seen fewer times than this in the corpus are left out of the vocabulary (and of training). Default 5.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Passes over the corpus. Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>The starting learning rate; it falls linearly to 0.0001 of itself by the end of the last epoch. Default 0.025.</summary>
    public float LearningRate { get; init; } = 0.025f;

    /// <summary>
    /// word2vec's sample threshold t: an occurrence of a word of frequency f is kept with probability
    /// <c>(sqrt(f / t) + 1) * t / f</c>, which thins very frequent words. 0 keeps every word. Default 0.001.
    /// </summary>
    public double SubsamplingThreshold { get; init; } = 1e-3;

    /// <summary>The seed of initialisation, windows, subsampling and negatives; null for the next seed of the <c>MLContext</c>. Training is single-threaded, so a seed gives identical vectors.</summary>
    public int? Seed { get; init; }

    internal void Validate()
    {
        static void AtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
        }
        AtLeast(Dimension, 1, nameof(Dimension));
        AtLeast(Window, 1, nameof(Window));
        AtLeast(NegativeSamples, 1, nameof(NegativeSamples));
        AtLeast(MinCount, 1, nameof(MinCount));
        AtLeast(Epochs, 1, nameof(Epochs));
        if (!(LearningRate > 0 && float.IsFinite(LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"{nameof(LearningRate)} must be a positive number.");
        if (!(SubsamplingThreshold >= 0 && double.IsFinite(SubsamplingThreshold)))
            throw new ArgumentOutOfRangeException(nameof(SubsamplingThreshold), SubsamplingThreshold, $"{nameof(SubsamplingThreshold)} must be 0 or more.");
    }
}

using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// An add-one smoothed unigram model: p(t) = (count(t) + 1) / (N + V), counted over the training targets, scored on
/// validation targets. The baseline a language model's perplexity is compared with.
/// </summary>
internal static class UnigramBaseline
{
    /// <summary>The unigram perplexity on the targets of <paramref name="validation"/>; ids ≥ <paramref name="vocabularySize"/> are counted as unseen.</summary>
    public static double Perplexity(ITokenWindowSource train, ITokenWindowSource validation, int vocabularySize)
    {
        var counts = new long[vocabularySize];
        long total = 0;
        foreach (var id in Targets(train))
            if (id < vocabularySize)
            {
                counts[id]++;
                total++;
            }
        double nll = 0;
        long scored = 0;
        double denominator = total + (double)vocabularySize;
        foreach (var id in Targets(validation))
        {
            nll -= Math.Log(((id < vocabularySize ? counts[id] : 0) + 1) / denominator);
            scored++;
        }
        return scored == 0 ? double.NaN : Math.Exp(nll / scored);
    }

    private static IEnumerable<long> Targets(ITokenWindowSource source)
    {
        var inputs = new long[source.WindowLength];
        var targets = new long[source.WindowLength];
        for (long window = 0; window < source.WindowCount; window++)
        {
            source.CopyWindow(window, inputs, targets);
            foreach (var id in targets)
                if (id >= 0)
                    yield return id;
        }
    }
}

using System.Text.RegularExpressions;

namespace MLNetLlm.Tokenization;

/// <summary>
/// Learns a byte-level BPE vocabulary from texts, as GPT-2's was learned: texts are split into words by the
/// pre-tokenizer pattern, words are spelled in UTF-8 bytes, and the most frequent adjacent pair of tokens is merged
/// into a new token until the vocabulary has the requested size.
/// </summary>
/// <remarks>
/// <para>The texts are read once, to count words; merges then run over the distinct words with an incremental index
/// of pair counts and the words each pair occurs in, and a priority queue of pairs, so a merge only touches the words
/// that contain its pair. Ties between equally frequent pairs go to the pair of the smaller (left, right) token ids,
/// so training is deterministic. Words longer than 128 characters are counted as 128-character pieces, as the tokenizer encodes them.</para>
/// <para>Ids: the 256 bytes are ids 0–255 (id = byte value), merges follow in the order learned, and the special
/// tokens take the last ids. <see cref="BpeLlmTokenizer.ExportVocabularyAndMerges"/> writes the result as
/// Hugging Face <c>vocab.json</c> + <c>merges.txt</c>.</para>
/// </remarks>
public static class BpeTrainer
{
    /// <summary>Trains on <paramref name="texts"/> (null and empty texts are skipped) and returns the tokenizer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The vocabulary size cannot hold the 256 bytes and the special tokens, or <see cref="BpeTrainerOptions.MinFrequency"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The pre-tokenizer pattern is not a valid regular expression.</exception>
    public static BpeLlmTokenizer Train(IEnumerable<string?> texts, BpeTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new BpeTrainerOptions();
        var tokenizerOptions = options.ToTokenizerOptions();
        var specials = tokenizerOptions.AllSpecialTokens();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinFrequency, 1, nameof(options.MinFrequency));
        if (options.VocabularySize < 256 + specials.Count)
            throw new ArgumentOutOfRangeException(nameof(options), options.VocabularySize, $"VocabularySize must hold the 256 byte tokens and the {specials.Count} special tokens.");
        var pattern = new Regex(options.PreTokenizerPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        var words = BpeWordCounter.Count(texts, pattern, specials);
        var learned = BpeMergeLearner.Learn(words, options.VocabularySize - specials.Count, options.MinFrequency);

        var vocabulary = new Dictionary<string, int>(learned.Tokens.Count + specials.Count);
        for (int id = 0; id < learned.Tokens.Count; id++)
            vocabulary.Add(ByteLevelAlphabet.Spell(learned.Tokens[id]), id);
        foreach (var special in specials)
            vocabulary.TryAdd(special, vocabulary.Count);
        var merges = learned.Merges
            .Select(m => (ByteLevelAlphabet.Spell(learned.Tokens[m.Left]), ByteLevelAlphabet.Spell(learned.Tokens[m.Right])))
            .ToList();
        return new BpeLlmTokenizer(vocabulary, merges, tokenizerOptions);
    }
}

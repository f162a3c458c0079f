using System.Text.RegularExpressions;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>The incremental merge learner against the textbook algorithm that recounts every pair after each merge.</summary>
public class BpeMergeLearnerTests
{
    [Theory]
    [InlineData(0, 600, 2)]
    [InlineData(1, 900, 1)]
    [InlineData(2, 400, 3)]
    public void Incremental_counts_learn_the_same_merges_as_recounting(int seed, int tokenCount, int minFrequency)
    {
        var texts = TokenizerTestData.LicenseParagraphs.Where((_, i) => i % 8 == seed).Concat(TokenizerTestData.RandomUnicode(seed, 30)).ToList();
        var words = BpeWordCounter.Count(texts, new Regex(BpeTokenizerOptions.Gpt2PreTokenizerPattern), []);

        var learned = BpeMergeLearner.Learn(words, tokenCount, minFrequency);
        var (tokens, merges) = LearnByRecounting(words, tokenCount, minFrequency);

        Assert.True(learned.Merges.Count > 100, $"only {learned.Merges.Count} merges learned");
        Assert.Equal(merges, learned.Merges);
        Assert.Equal(tokens.Select(Convert.ToHexString), learned.Tokens.Select(Convert.ToHexString));
    }

    [Fact]
    public void Overlapping_pairs_merge_left_to_right()
    {
        var words = new List<BpeWordCounter.Word> { new("aaaaa"u8.ToArray(), 3) };
        var learned = BpeMergeLearner.Learn(words, 258, 1);
        // (a, a) occurs 4 times (overlapping), so it merges first, left to right: aaaaa -> aa aa a.
        // Then (aa, aa) and (aa, a) tie at 3; the smaller right id, a = 97, wins.
        Assert.Equal([('a', 'a'), (256, 'a')], learned.Merges);
        Assert.Equal("aaa", System.Text.Encoding.ASCII.GetString(learned.Tokens[257]));
    }

    private static (List<byte[]> Tokens, List<(int, int)> Merges) LearnByRecounting(List<BpeWordCounter.Word> words, int tokenCount, int minFrequency)
    {
        var tokens = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        var merges = new List<(int, int)>();
        var symbols = words.Select(w => w.Bytes.Select(b => (int)b).ToList()).ToList();
        while (tokens.Count < tokenCount)
        {
            var counts = new Dictionary<(int, int), long>();
            for (int w = 0; w < symbols.Count; w++)
                for (int i = 0; i + 1 < symbols[w].Count; i++)
                    counts[(symbols[w][i], symbols[w][i + 1])] = counts.GetValueOrDefault((symbols[w][i], symbols[w][i + 1])) + words[w].Count;
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).First();
            if (best.Value < minFrequency)
                break;

            byte[] bytes = [.. tokens[best.Key.Item1], .. tokens[best.Key.Item2]];
            int merged = tokens.FindIndex(t => t.AsSpan().SequenceEqual(bytes));
            if (merged < 0)
            {
                tokens.Add(bytes);
                merged = tokens.Count - 1;
            }
            if (!merges.Contains(best.Key))
                merges.Add(best.Key);
            foreach (var word in symbols)
                for (int i = 0; i + 1 < word.Count; i++)
                    if (word[i] == best.Key.Item1 && word[i + 1] == best.Key.Item2)
                    {
                        word[i] = merged;
                        word.RemoveAt(i + 1);
                    }
        }
        return (tokens, merges);
    }
}

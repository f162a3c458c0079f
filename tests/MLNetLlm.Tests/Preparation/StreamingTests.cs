using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Preparation;

namespace MLNetLlm.Tests.Preparation;

/// <summary>
/// The windows of a corpus far larger than what the view may hold: 200,000 documents of 100 tokens (20 million
/// tokens, 160 MB as Int64). The input yields one reused document, so whatever the pass allocates is the windows' own.
/// </summary>
public class StreamingTests
{
    private const int Documents = 200_000;
    private const int TokensPerDocument = 100;
    private const long CorpusBytes = (long)Documents * TokensPerDocument * sizeof(long);

    private static IEnumerable<GeneratedDocument> Generate()
    {
        var document = new GeneratedDocument { Tokens = new long[TokensPerDocument] };
        for (int d = 0; d < Documents; d++)
        {
            for (int t = 0; t < TokensPerDocument; t++)
                document.Tokens[t] = (d * 31 + t) % 50_000;
            yield return document;
        }
    }

    public sealed class GeneratedDocument
    {
        [VectorType]
        public long[] Tokens { get; set; } = [];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pass_allocates_a_small_fraction_of_the_corpus(bool shuffle)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Generate());
        var windows = ml.Data.Llm.CreateNextTokenWindows(data, "Tokens",
            new NextTokenWindowOptions { ContextLength = 128, Stride = 64, SeparatorId = 50_000, Shuffle = shuffle, ShufflePoolSize = 1000 });

        long before = GC.GetAllocatedBytesForCurrentThread();
        long rows = 0, checksum = 0;
        using (var cursor = windows.GetRowCursor(windows.Schema))
        {
            var inputs = cursor.GetGetter<VBuffer<long>>(windows.Schema["InputIds"]);
            var targets = cursor.GetGetter<VBuffer<long>>(windows.Schema["TargetIds"]);
            VBuffer<long> input = default, target = default;
            while (cursor.MoveNext())
            {
                inputs(ref input);
                targets(ref target);
                checksum += input.GetValues()[5] + target.GetValues()[127];
                rows++;
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Stream of 20,000,000 tokens + 199,999 separators; windows at 0, 64, ... with s + 129 <= N.
        const long streamTokens = (long)Documents * TokensPerDocument + Documents - 1;
        Assert.Equal((streamTokens - 129) / 64 + 1, rows);
        Assert.NotEqual(0, checksum);
        // A shuffle pool holds 1000 · 129 tokens (about 1 MB); the corpus is 160 MB.
        Assert.True(allocated < CorpusBytes / 50, $"allocated {allocated:N0} bytes for a {CorpusBytes:N0}-byte corpus");
    }
}

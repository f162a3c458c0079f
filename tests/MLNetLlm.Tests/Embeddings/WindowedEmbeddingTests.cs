using System.Numerics.Tensors;
using MLNetLlm.Embeddings;

namespace MLNetLlm.Tests.Embeddings;

public class WindowedEmbeddingTests
{
    private static readonly TokenFraming Bert = new([2], [3]);

    // A stand-in model: a window's vector is (sum of its ids, its length, 1).
    private static float[][] Fake(IReadOnlyList<IReadOnlyList<int>> windows) =>
        [.. windows.Select(w => new float[] { w.Sum(), w.Count, 1 })];

    private static int[] Framed(int textTokens) => [2, .. Enumerable.Range(10, textTokens), 3];

    [Fact]
    public void A_long_text_is_the_length_weighted_mean_of_its_windows()
    {
        var options = new LongTextOptions { Overlap = 2 };
        var ids = Framed(20);
        var windows = TokenWindows.Split(ids, Bert, 8, options);
        var expected = new float[3];
        foreach (var window in windows)
            TensorPrimitives.MultiplyAdd(Fake([window.Ids])[0], window.TextTokens, expected, expected);
        TensorPrimitives.Divide(expected, windows.Sum(w => w.TextTokens), expected);

        var pooled = WindowedEmbedding.Embed([ids], Bert, 8, options, normalize: false, rowsPerCall: 32, Fake);
        Assert.Equal(expected, pooled[0]);

        var mean = WindowedEmbedding.Embed([ids], Bert, 8, options with { Pooling = LongTextPooling.Mean }, false, 32, Fake)[0];
        Assert.Equal(windows.Average(w => (float)w.Ids.Sum()), mean[0], 1e-4f);
    }

    [Fact]
    public void A_normalising_embedder_gets_a_unit_vector_again()
    {
        var pooled = WindowedEmbedding.Embed([Framed(20)], Bert, 8, LongTextOptions.Default, normalize: true, 32, Fake)[0];
        Assert.Equal(1f, TensorPrimitives.Norm(pooled), 1e-6f);
    }

    [Fact]
    public void A_text_of_one_window_gets_the_models_vector_untouched_and_texts_keep_their_order()
    {
        var given = new Dictionary<int, float[]>();
        float[][] Remember(IReadOnlyList<IReadOnlyList<int>> windows)
        {
            var vectors = Fake(windows);
            for (int i = 0; i < windows.Count; i++)
                given[windows[i].Count * 1000 + windows[i].Sum()] = vectors[i];
            return vectors;
        }
        int[] shortText = [2, 12, 3];
        var pooled = WindowedEmbedding.Embed([Framed(20), shortText, [2, 3]], Bert, 8, LongTextOptions.Default, normalize: true, 32, Remember);
        Assert.Same(given[3000 + 17], pooled[1]); // not re-normalised, not copied
        Assert.Equal(new float[] { 5, 2, 1 }, pooled[2]);
    }

    [Fact]
    public void Model_calls_take_at_most_rowsPerCall_windows_of_similar_length()
    {
        var calls = new List<int[]>();
        float[][] Record(IReadOnlyList<IReadOnlyList<int>> windows)
        {
            calls.Add([.. windows.Select(w => w.Count)]);
            return Fake(windows);
        }
        var texts = Enumerable.Range(0, 6).Select(i => (IReadOnlyList<int>)Framed(40 + i)).Append([2, 10, 3]).ToArray();
        WindowedEmbedding.Embed(texts, Bert, 8, LongTextOptions.Default with { MaxWindows = 4 }, false, rowsPerCall: 5, Record);
        Assert.All(calls, call => Assert.InRange(call.Length, 1, 5));
        Assert.Equal(6 * 4 + 1, calls.Sum(c => c.Length)); // each long text bounded to MaxWindows windows
        Assert.All(calls, call => Assert.True(call.Max() - call.Min() <= 5, $"a call mixes lengths {string.Join(",", call)}"));
    }

    [Fact]
    public void Embedding_twice_gives_the_same_vectors()
    {
        var texts = new IReadOnlyList<int>[] { Framed(33), Framed(5), Framed(70) };
        Assert.Equal(WindowedEmbedding.Embed(texts, Bert, 8, LongTextOptions.Default, true, 4, Fake),
            WindowedEmbedding.Embed(texts, Bert, 8, LongTextOptions.Default, true, 4, Fake));
    }
}

using System.Runtime.InteropServices;

namespace MLNetLlm.Tokenization;

/// <summary>
/// The second pass of BPE training: merges over the distinct words, keeping pair counts up to date incrementally
/// instead of recounting every pair after each merge.
/// </summary>
internal sealed class BpeMergeLearner
{
    /// <summary>The learned tokens (as bytes, ids 0–255 being the bytes themselves) and the merges in rank order.</summary>
    public sealed record Result(IReadOnlyList<byte[]> Tokens, IReadOnlyList<(int Left, int Right)> Merges);

    private readonly int[][] _symbols;      // each word's current tokens
    private readonly int[] _lengths;         // how many of _symbols[w] are in use
    private readonly long[] _counts;         // how often each word occurs
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, List<int>> _pairWords = [];  // words a pair occurs (or occurred) in
    private readonly PriorityQueue<long, (long NegativeCount, long Pair)> _queue = new();
    private readonly List<byte[]> _tokens = [];
    private readonly Dictionary<string, int> _tokenIds = [];      // Latin-1 spelling of a token's bytes -> id
    private readonly List<(int, int)> _merges = [];
    private readonly HashSet<long> _mergedPairs = [];
    private readonly int[] _visited;         // number of the Merge call that last rewrote each word
    private int _mergeCalls;
    private readonly HashSet<long> _grown = [];

    private BpeMergeLearner(List<BpeWordCounter.Word> words)
    {
        _symbols = new int[words.Count][];
        _lengths = new int[words.Count];
        _counts = new long[words.Count];
        _visited = new int[words.Count];
        for (int b = 0; b < 256; b++)
            AddToken([(byte)b]);

        for (int w = 0; w < words.Count; w++)
        {
            var bytes = words[w].Bytes;
            _symbols[w] = Array.ConvertAll(bytes, b => (int)b);
            _lengths[w] = bytes.Length;
            _counts[w] = words[w].Count;
            for (int i = 0; i + 1 < bytes.Length; i++)
                AddPairCount(Key(bytes[i], bytes[i + 1]), _counts[w], w);
        }
        foreach (var (pair, count) in _pairCounts)
            _queue.Enqueue(pair, (-count, pair));
    }

    /// <summary>Merges until there are <paramref name="tokenCount"/> tokens or no pair occurs <paramref name="minFrequency"/> times.</summary>
    public static Result Learn(List<BpeWordCounter.Word> words, int tokenCount, int minFrequency)
    {
        var learner = new BpeMergeLearner(words);
        while (learner._tokens.Count < tokenCount && learner.TryPopBestPair(minFrequency, out long pair))
            learner.Merge(pair);
        return new Result(learner._tokens, learner._merges);
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private bool TryPopBestPair(int minFrequency, out long pair)
    {
        while (_queue.TryDequeue(out pair, out var priority))
        {
            long current = _pairCounts.GetValueOrDefault(pair);
            if (current == -priority.NegativeCount)
                return current >= minFrequency;
            if (current > 0)
                _queue.Enqueue(pair, (-current, pair));   // the count fell since it was queued
        }
        return false;
    }

    private void Merge(long pair)
    {
        int left = (int)(pair >> 32), right = (int)pair;
        int merged = AddToken([.. _tokens[left], .. _tokens[right]]);
        // A pair can come back when a later merge spells one of its tokens again; its first rank already applies.
        if (_mergedPairs.Add(pair))
            _merges.Add((left, right));
        int mergeNumber = ++_mergeCalls;
        _grown.Clear();

        foreach (int w in _pairWords[pair])
        {
            if (_visited[w] == mergeNumber)
                continue;
            _visited[w] = mergeNumber;
            MergeInWord(w, left, right, merged);
        }
        _pairCounts.Remove(pair);
        _pairWords.Remove(pair);
        foreach (long grown in _grown)
            if (_pairCounts.TryGetValue(grown, out long count) && count > 0)
                _queue.Enqueue(grown, (-count, grown));
    }

    /// <summary>Replaces each (left, right) of word <paramref name="w"/>, left to right, and moves the counts of the pairs around it.</summary>
    private void MergeInWord(int w, int left, int right, int merged)
    {
        var symbols = _symbols[w];
        int length = _lengths[w];
        long count = _counts[w];
        int written = 0;
        for (int i = 0; i < length; i++)
        {
            if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right)
            {
                if (written > 0)
                {
                    int previous = symbols[written - 1];
                    AddPairCount(Key(previous, left), -count, w);
                    AddPairCount(Key(previous, merged), count, w);
                }
                if (i + 2 < length)
                {
                    int next = symbols[i + 2];
                    AddPairCount(Key(right, next), -count, w);
                    AddPairCount(Key(merged, next), count, w);
                }
                symbols[written++] = merged;
                i++;
            }
            else
            {
                symbols[written++] = symbols[i];
            }
        }
        _lengths[w] = written;
    }

    private void AddPairCount(long pair, long delta, int word)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairCounts, pair, out _);
        count += delta;
        if (delta <= 0)
            return;
        _grown.Add(pair);
        ref var words = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairWords, pair, out _);
        words ??= [];
        if (words.Count == 0 || words[^1] != word)
            words.Add(word);
    }

    /// <summary>The id of the token spelled by <paramref name="bytes"/>, added if new (two merges can spell the same token).</summary>
    private int AddToken(byte[] bytes)
    {
        var spelling = string.Create(bytes.Length, bytes, static (chars, b) => { for (int i = 0; i < b.Length; i++) chars[i] = (char)b[i]; });
        if (_tokenIds.TryGetValue(spelling, out int id))
            return id;
        _tokens.Add(bytes);
        _tokenIds.Add(spelling, _tokens.Count - 1);
        return _tokens.Count - 1;
    }
}

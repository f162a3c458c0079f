using System.Numerics.Tensors;

namespace MLNetLlm.Embeddings;

/// <summary>A word and its cosine similarity to a query.</summary>
/// <param name="Word">The word.</param>
/// <param name="Similarity">The cosine similarity, from -1 to 1.</param>
public readonly record struct WordSimilarity(string Word, float Similarity);

/// <summary>
/// A table of word vectors (static embeddings): one vector per word, with nearest neighbours and analogies by cosine
/// similarity. Made by fitting <c>mlContext.Transforms.Llm.TrainWordEmbeddings</c>, or from arrays with <see cref="Create"/>.
/// Immutable and safe to read from several threads.
/// </summary>
public sealed class WordVectors
{
    private readonly string[] _words;
    private readonly float[] _vectors;                 // (Count, Dimension) row-major
    private readonly Dictionary<string, int> _index;
    private readonly Lazy<float[]> _unitVectors;       // the rows scaled to length 1, for cosine similarity

    private WordVectors(string[] words, float[] vectors, int dimension)
    {
        _words = words;
        _vectors = vectors;
        Dimension = dimension;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
            if (!_index.TryAdd(words[i], i))
                throw new ArgumentException($"The word '{words[i]}' appears twice (entries {_index[words[i]]} and {i}).", nameof(words));
        _unitVectors = new Lazy<float[]>(() =>
        {
            var unit = (float[])_vectors.Clone();
            for (int i = 0; i < Count; i++)
                VectorPooling.NormalizeL2(unit.AsSpan(i * Dimension, Dimension));
            return unit;
        });
    }

    /// <summary>The words, most frequent first for a trained table.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The number of words.</summary>
    public int Count => _words.Length;

    /// <summary>The length of each vector.</summary>
    public int Dimension { get; }

    /// <summary>A table from words and their vectors, <paramref name="vectors"/> holding <c>words.Count × dimension</c> floats row by row (copied).</summary>
    /// <exception cref="ArgumentException">The sizes do not match, a word is empty or repeated, or a value is NaN or infinite.</exception>
    public static WordVectors Create(IReadOnlyList<string> words, ReadOnlySpan<float> vectors, int dimension)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length != (long)words.Count * dimension)
            throw new ArgumentException($"{words.Count} words of {dimension} dimensions need {(long)words.Count * dimension} floats, not {vectors.Length}.", nameof(vectors));
        if (!TensorPrimitives.IsFiniteAll(vectors))
            throw new ArgumentException("The vectors hold NaN or infinity.", nameof(vectors));
        foreach (var word in words)
            if (string.IsNullOrEmpty(word))
                throw new ArgumentException("A word cannot be null or empty.", nameof(words));
        return new WordVectors([.. words], vectors.ToArray(), dimension);
    }

    /// <summary>Whether the table has <paramref name="word"/> (exact, case-sensitive match).</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The vector of <paramref name="word"/>.</summary>
    /// <exception cref="ArgumentException">The word is not in the table.</exception>
    public ReadOnlySpan<float> this[string word] => Row(IndexOf(word, nameof(word)));

    /// <summary>The vector of <paramref name="word"/>, or false when the table does not have it.</summary>
    public bool TryGetVector(string word, out ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (_index.TryGetValue(word, out int index))
        {
            vector = Row(index);
            return true;
        }
        vector = default;
        return false;
    }

    /// <summary>The <paramref name="count"/> words most similar to <paramref name="word"/> (itself left out), most similar first.</summary>
    /// <exception cref="ArgumentException">The word is not in the table.</exception>
    public IReadOnlyList<WordSimilarity> NearestNeighbours(string word, int count = 10)
    {
        int index = IndexOf(word, nameof(word));
        return Nearest(_unitVectors.Value.AsSpan(index * Dimension, Dimension), count, [index]);
    }

    /// <summary>The <paramref name="count"/> words whose vectors are most similar to <paramref name="vector"/>, most similar first.</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimension"/>.</exception>
    public IReadOnlyList<WordSimilarity> NearestNeighbours(ReadOnlySpan<float> vector, int count = 10)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"The query has {vector.Length} dimensions, the table {Dimension}.", nameof(vector));
        return Nearest(Unit(vector), count, []);
    }

    /// <summary>
    /// Solves "<paramref name="a"/> is to <paramref name="b"/> as <paramref name="c"/> is to ?": the words nearest to
    /// <c>b - a + c</c> (unit vectors, as word2vec's <c>compute-accuracy</c> does), the three query words left out.
    /// <c>Analogy("man", "king", "woman")</c> should give <c>queen</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A word is not in the table.</exception>
    public IReadOnlyList<WordSimilarity> Analogy(string a, string b, string c, int count = 5)
    {
        int ia = IndexOf(a, nameof(a)), ib = IndexOf(b, nameof(b)), ic = IndexOf(c, nameof(c));
        var unit = _unitVectors.Value;
        var query = new float[Dimension];
        TensorPrimitives.Subtract(unit.AsSpan(ib * Dimension, Dimension), unit.AsSpan(ia * Dimension, Dimension), query);
        TensorPrimitives.Add(query, unit.AsSpan(ic * Dimension, Dimension), query);
        return Nearest(Unit(query), count, [ia, ib, ic]);
    }

    internal ReadOnlySpan<float> Row(int index) => _vectors.AsSpan(index * Dimension, Dimension);

    internal ReadOnlySpan<float> AllVectors => _vectors;

    internal bool TryGetIndex(string word, out int index) => _index.TryGetValue(word, out index);

    private int IndexOf(string word, string argument)
    {
        ArgumentNullException.ThrowIfNull(word, argument);
        return _index.TryGetValue(word, out int index)
            ? index
            : throw new ArgumentException($"'{word}' is not in the vocabulary of {Count} words.", argument);
    }

    private static float[] Unit(ReadOnlySpan<float> vector)
    {
        var unit = vector.ToArray();
        VectorPooling.NormalizeL2(unit);
        return unit;
    }

    private List<WordSimilarity> Nearest(ReadOnlySpan<float> unitQuery, int count, int[] excluded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var unit = _unitVectors.Value;
        var best = new PriorityQueue<int, (float Similarity, int Index)>(count + 1, TopComparer.Instance); // the worst kept on top
        for (int i = 0; i < Count; i++)
        {
            if (Array.IndexOf(excluded, i) >= 0)
                continue;
            float similarity = TensorPrimitives.Dot(unitQuery, unit.AsSpan(i * Dimension, Dimension));
            best.Enqueue(i, (similarity, i));
            if (best.Count > count)
                best.Dequeue();
        }
        var result = new List<WordSimilarity>(best.Count);
        while (best.TryDequeue(out int index, out var key))
            result.Add(new WordSimilarity(_words[index], key.Similarity));
        result.Reverse();
        return result;
    }

    /// <summary>Orders the worst first: lower similarity, then the later word (so ties keep the more frequent word).</summary>
    private sealed class TopComparer : IComparer<(float Similarity, int Index)>
    {
        public static readonly TopComparer Instance = new();

        public int Compare((float Similarity, int Index) x, (float Similarity, int Index) y)
        {
            int bySimilarity = x.Similarity.CompareTo(y.Similarity);
            return bySimilarity != 0 ? bySimilarity : y.Index.CompareTo(x.Index);
        }
    }
}

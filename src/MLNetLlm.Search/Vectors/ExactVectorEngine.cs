using System.Numerics.Tensors;

namespace MLNetLlm.Search;

/// <summary>
/// Brute force: every live vector is scored against the query with <see cref="TensorPrimitives"/> and the best are
/// kept in a min-heap of the requested size. Vectors sit in one flat array, slot after slot; for cosine they are
/// stored normalised, so a score is one dot product.
/// </summary>
internal sealed class ExactVectorEngine(int dimension, VectorMetric metric) : IVectorSearchEngine
{
    private float[] _vectors = [];
    private bool[] _live = [];
    private int _slots;

    public VectorEngine Kind => VectorEngine.Exact;

    public void Add(IReadOnlyList<int> slots, IReadOnlyList<float[]> vectors) => Add(slots, vectors, stored: false);

    // Stored vectors (read back from a file) are already normalised: normalising again would move them by a rounding.
    private void Add(IReadOnlyList<int> slots, IReadOnlyList<float[]> vectors, bool stored)
    {
        var needed = slots.Count == 0 ? _slots : Math.Max(_slots, slots.Max() + 1);
        Grow(needed);
        for (var i = 0; i < slots.Count; i++)
        {
            var target = _vectors.AsSpan(slots[i] * dimension, dimension);
            vectors[i].CopyTo(target);
            if (metric == VectorMetric.Cosine && !stored)
                TensorPrimitives.Divide(target, TensorPrimitives.Norm(target), target);
            _live[slots[i]] = true;
        }
        _slots = needed;
    }

    public void Remove(int slot) => _live[slot] = false;

    public float[] Vector(int slot) => _vectors.AsSpan(slot * dimension, dimension).ToArray();

    public List<(int Slot, float Score)> Search(float[] query, int count, Func<int, bool>? accept)
    {
        ReadOnlySpan<float> q = metric == VectorMetric.Cosine ? Normalised(query) : query;
        var best = new PriorityQueue<int, float>(count + 1);
        for (var slot = 0; slot < _slots; slot++)
        {
            if (!_live[slot] || (accept is not null && !accept(slot)))
                continue;
            var score = Score(q, _vectors.AsSpan(slot * dimension, dimension));
            if (best.Count < count)
                best.Enqueue(slot, score);
            else if (best.TryPeek(out _, out var worst) && score > worst)
                best.DequeueEnqueue(slot, score);
        }
        var hits = new List<(int Slot, float Score)>(best.Count);
        while (best.TryDequeue(out var slot, out var score))
            hits.Add((slot, score));
        // Best first; equal scores in slot order, so results do not depend on the heap.
        hits.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Slot.CompareTo(b.Slot));
        return hits;
    }

    public void Save(string path, IReadOnlyList<int> slots)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        foreach (var slot in slots)
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_vectors.AsSpan(slot * dimension, dimension)));
    }

    /// <summary>Reads what <see cref="Save"/> wrote for <paramref name="slots"/>.</summary>
    /// <exception cref="InvalidDataException">The file does not hold exactly that many vectors.</exception>
    public static ExactVectorEngine Load(string path, int dimension, VectorMetric metric, IReadOnlyList<int> slots)
    {
        var expected = (long)slots.Count * dimension * sizeof(float);
        var length = new FileInfo(path).Length;
        if (length != expected)
            throw new InvalidDataException($"The vector file '{Path.GetFileName(path)}' holds {length} bytes, but {slots.Count} vectors of {dimension} floats need {expected}: the index is truncated or damaged.");
        var engine = new ExactVectorEngine(dimension, metric);
        var vectors = new float[slots.Count][];
        using (var stream = File.OpenRead(path))
            for (var i = 0; i < vectors.Length; i++)
            {
                vectors[i] = new float[dimension];
                stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()));
            }
        engine.Add(slots, vectors, stored: true);
        return engine;
    }

    public void Dispose()
    {
    }

    private float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => metric switch
    {
        VectorMetric.L2 => -SquaredDistance(query, vector),
        _ => TensorPrimitives.Dot(query, vector),
    };

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var distance = TensorPrimitives.Distance(a, b);
        return distance * distance;
    }

    private static float[] Normalised(float[] vector)
    {
        var copy = new float[vector.Length];
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), copy);
        return copy;
    }

    private void Grow(int slots)
    {
        if (slots <= _live.Length)
            return;
        var capacity = Math.Max(slots, Math.Max(16, _live.Length * 2));
        Array.Resize(ref _live, capacity);
        Array.Resize(ref _vectors, checked(capacity * dimension));
    }
}

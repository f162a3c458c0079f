namespace MLNetLlm.Search;

/// <summary>
/// What <see cref="VectorIndex"/> asks of a search engine. Documents are numbered by slots the index hands out
/// (never reused); the engine holds their vectors and finds the best slots for a query.
/// </summary>
internal interface IVectorSearchEngine : IDisposable
{
    /// <summary><see cref="VectorEngine.Exact"/> or <see cref="VectorEngine.Hnsw"/>.</summary>
    VectorEngine Kind { get; }

    /// <summary>Adds checked vectors (finite, of the index's dimension) under new slots.</summary>
    void Add(IReadOnlyList<int> slots, IReadOnlyList<float[]> vectors);

    /// <summary>Forgets a slot.</summary>
    void Remove(int slot);

    /// <summary>The stored vector of a live slot, as the engine compares it (normalised for cosine by the exact engine).</summary>
    float[] Vector(int slot);

    /// <summary>Up to <paramref name="count"/> live slots that <paramref name="accept"/> lets through, best first.</summary>
    List<(int Slot, float Score)> Search(float[] query, int count, Func<int, bool>? accept);

    /// <summary>Writes the engine's data for <paramref name="slots"/> (the live ones, in the index's order) to <paramref name="path"/>.</summary>
    void Save(string path, IReadOnlyList<int> slots);
}

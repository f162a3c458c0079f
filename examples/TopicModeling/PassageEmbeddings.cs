/// <summary>
/// Every document cut into passages of <see cref="Words"/> words (each fits one window of MiniLM and arctic-embed-xs,
/// so each is embedded whole), the passage vectors kept in a file beside the pictures. One embedding run serves every
/// variant that needs window-level vectors: the mean of a document's passages (its whole-text vector), clustering the
/// passages with a vote per document, and the passages of the corpus-adapted encoder. The vectors are written as they
/// come, batch by batch, so an interrupted run (the machine is shared) resumes where it stopped.
/// </summary>
internal sealed class PassageEmbeddings
{
    /// <summary>Words per passage: about 190 MiniLM word pieces on Brown text, under MiniLM's 256.</summary>
    public const int Words = 150;

    private const int BatchSize = 64;

    private PassageEmbeddings(int[] document, string[] texts, float[][] vectors)
    {
        Document = document;
        Texts = texts;
        Vectors = vectors;
    }

    /// <summary>The document each passage comes from (its index), in document order.</summary>
    public int[] Document { get; }

    /// <summary>The passages' texts.</summary>
    public string[] Texts { get; }

    /// <summary>The passages' vectors (unit length when the embedder normalises).</summary>
    public float[][] Vectors { get; }

    /// <summary>
    /// Every <see cref="Every"/>-th passage of each document is embedded (its first, fourth, ...): on the loaded 2 cores
    /// all 6,736 passages of the 500 texts take MiniLM about 50 minutes, a third of them about 16 (each document still
    /// read from start to end, with gaps).
    /// </summary>
    public const int Every = 3;

    /// <summary>The passages of <paramref name="documents"/> that are embedded (no vectors yet).</summary>
    public static (int[] Document, string[] Texts) Split(IReadOnlyList<string> documents)
    {
        var passages = documents.SelectMany((text, d) => Corpora.Passages(text, Words).Where((_, k) => k % Every == 0).Select(p => (d, p))).ToArray();
        return (passages.Select(p => p.d).ToArray(), passages.Select(p => p.p).ToArray());
    }

    /// <summary>The passages embedded by <paramref name="embed"/>, read from <c>{directory}/{name}</c> when a run made them before.</summary>
    public static PassageEmbeddings Load(string directory, string name, IReadOnlyList<string> documents, Func<IReadOnlyList<string>, float[][]> embed)
    {
        var (document, texts) = Split(documents);
        var path = Path.Combine(directory, $"{name}-{documents.Count}-passages{Words}-every{Every}.bin");
        var vectors = new List<float[]>(texts.Length);
        if (File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadInt32() != texts.Length)
                throw new InvalidDataException($"{path} was made for other passages: delete it.");
            int size = reader.ReadInt32();
            long whole = (reader.BaseStream.Length - 8) / (4L * size); // a batch cut off mid-vector is embedded again
            for (long v = 0; v < whole; v++)
                vectors.Add(Enumerable.Range(0, size).Select(_ => reader.ReadSingle()).ToArray());
        }
        if (vectors.Count < texts.Length)
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate);
            if (vectors.Count > 0)
                stream.SetLength(8 + 4L * vectors.Count * vectors[0].Length);
            stream.Seek(0, SeekOrigin.End);
            using var writer = new BinaryWriter(stream);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            int resumedAt = vectors.Count;
            foreach (var batch in texts.Skip(vectors.Count).Chunk(BatchSize))
            {
                var embedded = embed(batch);
                if (writer.BaseStream.Length == 0)
                {
                    writer.Write(texts.Length);
                    writer.Write(embedded[0].Length);
                }
                foreach (var value in embedded.SelectMany(v => v))
                    writer.Write(value);
                writer.Flush();
                vectors.AddRange(embedded);
                Console.Error.WriteLine($"{name}: {vectors.Count} / {texts.Length} passages, {(vectors.Count - resumedAt) / watch.Elapsed.TotalSeconds:F1} passages/s");
            }
        }
        return new PassageEmbeddings(document, texts, [.. vectors]);
    }

    /// <summary>Each document's vector: the mean of its passages' vectors scaled to length 1 (what a plain mean of windows gives).</summary>
    public float[][] DocumentVectors(int documents)
    {
        int size = Vectors[0].Length;
        var sums = Enumerable.Range(0, documents).Select(_ => new float[size]).ToArray();
        for (int p = 0; p < Vectors.Length; p++)
            System.Numerics.Tensors.TensorPrimitives.Add(sums[Document[p]], Vectors[p], sums[Document[p]]);
        foreach (var sum in sums)
        {
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(sum);
            if (norm > 0)
                System.Numerics.Tensors.TensorPrimitives.Divide(sum, norm, sum);
        }
        return sums;
    }
}

using System.Text;
using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Kit;

namespace MLNetLlm.Search;

/// <summary>
/// The folder a <see cref="VectorIndex"/> saves to: <c>vector-index.json</c> (format, dimension, options, counts, file
/// lengths, the embedder's fingerprint), <c>documents.bin</c> (ids, texts, metadata, sources) and either
/// <c>vectors.bin</c> (exact: raw little-endian floats) or <c>graph.usearch</c> (HNSW, USearch's own format). The
/// folder is written beside its target and moved into place, so a failed save leaves the old index whole.
/// </summary>
internal static class VectorIndexFile
{
    private const int FormatVersion = 1;
    private const string HeaderFile = "vector-index.json";
    private const string DocumentsFile = "documents.bin";
    private const string VectorsFile = "vectors.bin";
    private const string GraphFile = "graph.usearch";
    private const string DocumentsMagic = "MLNetLlm.VectorIndex.Documents";

    public static void Save(string directory, VectorIndex index, IVectorSearchEngine engine, int[] slots, IReadOnlyList<VectorIndex.StoredDocument> documents)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, HeaderFile)))
            throw new IOException($"'{target}' is a folder that holds something other than a vector index: choose an empty or new folder.");
        var staging = target.TrimEnd(Path.DirectorySeparatorChar) + ".saving-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        try
        {
            WriteDocuments(Path.Combine(staging, DocumentsFile), slots, documents);
            var vectorsFile = Path.Combine(staging, engine.Kind == VectorEngine.Hnsw ? GraphFile : VectorsFile);
            engine.Save(vectorsFile, slots);
            var header = new Header
            {
                FormatVersion = FormatVersion,
                Dimension = index.Dimension,
                Options = index.Options,
                Engine = engine.Kind,
                Count = slots.Length,
                DocumentsBytes = new FileInfo(Path.Combine(staging, DocumentsFile)).Length,
                VectorsBytes = new FileInfo(vectorsFile).Length,
                Fingerprint = index.Fingerprint,
            };
            File.WriteAllText(Path.Combine(staging, HeaderFile), JsonSerializer.Serialize(header, PersistenceJson.Options));
            Replace(target, staging);
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    public static VectorIndex Load(string directory, TextEmbedder? embedder, bool memoryMap)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new FileNotFoundException($"There is no vector index folder '{directory}'.", directory);
        var headerPath = Path.Combine(directory, HeaderFile);
        if (!File.Exists(headerPath))
            throw new FileNotFoundException($"'{directory}' is not a saved vector index: {HeaderFile} is missing.", headerPath);
        var header = PersistenceJson.Read<Header>(headerPath);
        if (header.FormatVersion != FormatVersion)
            throw new InvalidDataException($"The vector index in '{directory}' has format {header.FormatVersion}; this version reads format {FormatVersion}.");
        try
        {
            header.Options.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(header.Dimension, 1, nameof(header.Dimension));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(header.Dimension, 65_536, nameof(header.Dimension));
            ArgumentOutOfRangeException.ThrowIfNegative(header.Count, nameof(header.Count));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{HeaderFile} in '{directory}' holds invalid settings: {e.Message}", e);
        }
        var what = $"The vector index in '{directory}'";
        if (embedder is not null)
        {
            if (embedder.Dimension != header.Dimension)
                throw new InvalidDataException($"{what} holds vectors of {header.Dimension} dimensions; the embedder given ({embedder.Name}) makes {embedder.Dimension}.");
            header.Fingerprint?.Require(embedder, what);
        }
        var documentsPath = RequireLength(directory, DocumentsFile, header.DocumentsBytes);
        var (slots, documents) = ReadDocuments(documentsPath, header.Count);
        IVectorSearchEngine engine = header.Engine == VectorEngine.Hnsw
            ? HnswVectorEngine.Load(RequireLength(directory, GraphFile, header.VectorsBytes), header.Options.Metric, header.Dimension, header.Count, memoryMap, header.Options.ExpansionSearch)
            : ExactVectorEngine.Load(RequireLength(directory, VectorsFile, header.VectorsBytes), header.Dimension, header.Options.Metric, slots);
        return VectorIndex.Restore(header.Dimension, header.Options, embedder, header.Fingerprint, engine, slots, documents);
    }

    private static string RequireLength(string directory, string file, long expected)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The vector index in '{directory}' is incomplete: {file} is missing.", path);
        var length = new FileInfo(path).Length;
        if (length != expected)
            throw new InvalidDataException($"{file} in '{directory}' holds {length} bytes where {expected} were saved: the index is truncated or damaged.");
        return path;
    }

    private static void WriteDocuments(string path, int[] slots, IReadOnlyList<VectorIndex.StoredDocument> documents)
    {
        using var writer = new BinaryWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write), Encoding.UTF8);
        writer.Write(DocumentsMagic);
        writer.Write(slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var d = documents[i];
            writer.Write(slots[i]);
            writer.Write(d.Id);
            WriteOptional(writer, d.Text);
            WriteOptional(writer, d.Metadata);
            WriteOptional(writer, d.SourceId);
            writer.Write(d.Start);
            writer.Write(d.Length);
        }
    }

    private static (int[] Slots, VectorIndex.StoredDocument[] Documents) ReadDocuments(string path, int count)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (reader.ReadString() != DocumentsMagic || reader.ReadInt32() != count)
                throw new InvalidDataException($"{DocumentsFile} is not the documents table of this index.");
            var slots = new int[count];
            var documents = new VectorIndex.StoredDocument[count];
            var previous = -1;
            for (var i = 0; i < count; i++)
            {
                slots[i] = reader.ReadInt32();
                if (slots[i] <= previous)
                    throw new InvalidDataException($"{DocumentsFile} is damaged: its slots are out of order at document {i}.");
                previous = slots[i];
                documents[i] = new VectorIndex.StoredDocument(reader.ReadString(), ReadOptional(reader), ReadOptional(reader), ReadOptional(reader),
                    reader.ReadInt32(), reader.ReadInt32());
            }
            return (slots, documents);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{DocumentsFile} ends early: the index is truncated.", e);
        }
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
            writer.Write(value);
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void Replace(string target, string staging)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var old = target.TrimEnd(Path.DirectorySeparatorChar) + ".old-" + Guid.NewGuid().ToString("N");
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }

    private sealed record Header
    {
        public required int FormatVersion { get; init; }
        public required int Dimension { get; init; }
        public required VectorIndexOptions Options { get; init; }
        public required VectorEngine Engine { get; init; }
        public required int Count { get; init; }
        public required long DocumentsBytes { get; init; }
        public required long VectorsBytes { get; init; }
        public EmbedderFingerprint? Fingerprint { get; init; }
    }
}

using System.Text.Json;

namespace MLNetLlm.Persistence;

/// <summary>
/// The weights of a checkpoint folder in the Hugging Face layout: one <c>model.safetensors</c>, or shards
/// (<c>model-00001-of-00002.safetensors</c>, ...) listed by <c>model.safetensors.index.json</c>. Tensors are looked up
/// by name across all files; every file stays memory-mapped until this is disposed.
/// </summary>
public sealed class SafetensorsFolder : IDisposable
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The index that maps tensor names to shard files.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsReader> _files;
    private readonly Dictionary<string, (SafetensorsReader File, SafetensorsTensorInfo Tensor)> _tensors;

    private SafetensorsFolder(string folder, List<SafetensorsReader> files, Dictionary<string, (SafetensorsReader, SafetensorsTensorInfo)> tensors)
    {
        Folder = folder;
        _files = files;
        _tensors = tensors;
    }

    /// <summary>The folder the weights were read from.</summary>
    public string Folder { get; }

    /// <summary>The files opened: one, or every shard the index names.</summary>
    public IReadOnlyList<SafetensorsReader> Files => _files;

    /// <summary>The names of all tensors, in no particular order.</summary>
    public IReadOnlyCollection<string> TensorNames => _tensors.Keys;

    /// <summary>
    /// Opens <c>model.safetensors</c> in <paramref name="folder"/> when present, otherwise the shards its
    /// <c>model.safetensors.index.json</c> lists.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has neither file, or the index names a shard that is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is corrupt, or the index is malformed, names a path outside the folder, or maps a tensor twice or to a
    /// shard that lacks it.
    /// </exception>
    public static SafetensorsFolder Open(string folder)
    {
        var fullFolder = Path.GetFullPath(folder);
        if (!Directory.Exists(fullFolder))
            throw new DirectoryNotFoundException($"Checkpoint folder {fullFolder} does not exist.");
        var single = Path.Combine(fullFolder, SingleFileName);
        var index = Path.Combine(fullFolder, IndexFileName);
        if (File.Exists(single))
        {
            var reader = SafetensorsReader.Open(single);
            return new SafetensorsFolder(fullFolder, [reader], reader.Tensors.ToDictionary(t => t.Name, t => (reader, t)));
        }
        if (File.Exists(index))
            return OpenSharded(fullFolder, index);
        var pickled = Directory.EnumerateFiles(fullFolder).Select(Path.GetFileName).FirstOrDefault(name =>
            name is "pytorch_model.bin" or "pytorch_model.bin.index.json" || Path.GetExtension(name) is ".pt" or ".pth" or ".ckpt");
        var hint = pickled is null ? "" : $" It has {pickled}, a pickle checkpoint, which is never read (unpickling runs code): convert it to safetensors first.";
        throw new FileNotFoundException($"Checkpoint folder {fullFolder} has neither {SingleFileName} nor {IndexFileName}.{hint}", single);
    }

    /// <summary>Finds a tensor and the file that holds it.</summary>
    public bool TryGetTensor(string name, out SafetensorsReader file, out SafetensorsTensorInfo tensor)
    {
        if (_tensors.TryGetValue(name, out var found))
        {
            (file, tensor) = found;
            return true;
        }
        file = null!;
        tensor = null!;
        return false;
    }

    /// <summary>Unmaps every file.</summary>
    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }

    private static SafetensorsFolder OpenSharded(string folder, string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var files = new List<SafetensorsReader>();
        try
        {
            var byShard = new Dictionary<string, SafetensorsReader>();
            var tensors = new Dictionary<string, (SafetensorsReader, SafetensorsTensorInfo)>();
            foreach (var (name, shard) in weightMap)
            {
                if (!byShard.TryGetValue(shard, out var reader))
                {
                    var shardPath = Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw new FileNotFoundException($"{indexPath} maps tensor '{name}' to shard {shard}, which is missing from {folder}.", shardPath);
                    reader = SafetensorsReader.Open(shardPath);
                    files.Add(reader);
                    byShard[shard] = reader;
                }
                if (!reader.TryGetTensor(name, out var tensor))
                    throw new InvalidDataException($"{indexPath} maps tensor '{name}' to shard {shard}, which has no such tensor.");
                tensors[name] = (reader, tensor);
            }
            return new SafetensorsFolder(folder, files, tensors);
        }
        catch
        {
            foreach (var file in files) file.Dispose();
            throw;
        }
    }

    private static List<(string Name, string Shard)> ReadWeightMap(string indexPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{indexPath} has no weight_map object.");
            var entries = new List<(string, string)>();
            var names = new HashSet<string>();
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{indexPath} maps tensor '{entry.Name}' to a JSON {entry.Value.ValueKind} instead of a file name.");
                var shard = entry.Value.GetString()!;
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                    throw new InvalidDataException($"{indexPath} maps tensor '{entry.Name}' to '{shard}', which is not a file name inside the checkpoint folder.");
                if (!names.Add(entry.Name))
                    throw new InvalidDataException($"{indexPath} maps tensor '{entry.Name}' twice.");
                entries.Add((entry.Name, shard));
            }
            return entries;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Writes an index mapping each tensor name to its shard file, with the total data size as metadata.</summary>
    public static void WriteIndex(string folder, IEnumerable<(string Name, string Shard)> weightMap, long totalSize)
    {
        var path = Path.Combine(folder, IndexFileName);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteNumber("total_size", totalSize);
            writer.WriteEndObject();
            writer.WriteStartObject("weight_map");
            foreach (var (name, shard) in weightMap.OrderBy(e => e.Name, StringComparer.Ordinal)) writer.WriteString(name, shard);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        File.WriteAllBytes(path, stream.ToArray());
    }
}

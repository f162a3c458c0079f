using System.IO.Compression;
using System.Text.Json;
using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Persistence;

/// <summary>
/// Saves and loads a transformer chain that mixes built-in ML.NET stages and MLNetLlm ones, as one zip: consecutive
/// built-in stages go through <c>mlContext.Model.Save</c> as a nested entry, MLNetLlm stages write a folder of their
/// own (<see cref="ILlmPersistable"/>), and <see cref="ModelManifest"/> lists them in order.
/// </summary>
internal sealed class ModelPackage(ModelOperationsCatalog mlnet, IHostEnvironment environment)
{
    public void Save(ITransformer model, DataViewSchema? inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stages = Flatten(model).ToList();
        var root = Directory.CreateTempSubdirectory("mlnetllm-save-").FullName;
        try
        {
            var manifest = new ModelManifest
            {
                Format = ModelManifest.FormatName,
                Version = ModelManifest.CurrentVersion,
                InputSchemaEntry = inputSchema is null ? null : SaveSchema(inputSchema, root),
                Stages = SaveStages(stages, inputSchema, root),
            };
            File.WriteAllText(Path.Combine(root, ModelManifest.FileName), JsonSerializer.Serialize(manifest, PersistenceJson.Options));

            // Write beside the target, then replace it: a failed save never destroys a model saved before.
            StagedFile.Write(path, temporary => ZipFile.CreateFromDirectory(root, temporary, CompressionLevel.Fastest, includeBaseDirectory: false));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    public ITransformer Load(string path, out DataViewSchema? inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model file at {path}.", path);
        var root = Directory.CreateTempSubdirectory("mlnetllm-load-").FullName;
        try
        {
            Extract(path, root);
            var manifestPath = Path.Combine(root, ModelManifest.FileName);
            if (!File.Exists(manifestPath))
                throw new InvalidDataException($"{path} is not an MLNetLlm model: it has no {ModelManifest.FileName}. " +
                    "A model saved with mlContext.Model.Save loads with mlContext.Model.Load.");
            var manifest = PersistenceJson.Read<ModelManifest>(manifestPath);
            if (manifest.Format != ModelManifest.FormatName)
                throw new InvalidDataException($"{path} is not an MLNetLlm model: its format is '{manifest.Format}'.");
            if (manifest.Version > ModelManifest.CurrentVersion || manifest.Version < 1)
                throw new InvalidDataException($"{path} has layout version {manifest.Version}; this MLNetLlm reads versions 1 to {ModelManifest.CurrentVersion}.");

            inputSchema = manifest.InputSchemaEntry is { } schemaEntry ? LoadSchema(Inside(root, schemaEntry, path), path) : null;
            var stages = manifest.Stages.Select((stage, i) => LoadStage(stage, i, root, path)).ToArray();
            return new TransformerChain<ITransformer>(stages);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The stages of a model, nested <see cref="TransformerChain{TLastTransformer}"/>s opened up.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        var type = model.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>))
            return ((IEnumerable<ITransformer>)model).SelectMany(Flatten);
        return [model];
    }

    private string SaveSchema(DataViewSchema schema, string root)
    {
        const string entry = "input-schema.zip";
        using var stream = File.Create(Path.Combine(root, entry));
        mlnet.Save(new TransformerChain<ITransformer>(), schema, stream);
        return entry;
    }

    private List<ModelStage> SaveStages(List<ITransformer> stages, DataViewSchema? inputSchema, string root)
    {
        var saved = new List<ModelStage>();
        Directory.CreateDirectory(Path.Combine(root, "stages"));
        var schema = inputSchema;
        int i = 0;
        while (i < stages.Count)
        {
            var path = $"stages/{saved.Count}";
            if (stages[i] is ILlmPersistable llm)
            {
                var directory = Directory.CreateDirectory(Path.Combine(root, path)).FullName;
                llm.SaveTo(directory);
                saved.Add(new ModelStage { Kind = llm.PersistenceKind, Assembly = stages[i].GetType().Assembly.GetName().Name, Path = path, Types = [stages[i].GetType().FullName!] });
                schema = schema is null ? null : stages[i].GetOutputSchema(schema);
                i++;
                continue;
            }

            int end = i;
            while (end < stages.Count && stages[end] is not ILlmPersistable)
                end++;
            var group = stages.GetRange(i, end - i);
            path += ".zip";
            SaveBuiltIn(group, schema, Path.Combine(root, path), i);
            saved.Add(new ModelStage { Kind = ModelManifest.MLNetKind, Path = path, Types = group.Select(t => t.GetType().FullName!).ToList() });
            foreach (var stage in group)
                schema = schema is null ? null : stage.GetOutputSchema(schema);
            i = end;
        }
        return saved;
    }

    private void SaveBuiltIn(List<ITransformer> group, DataViewSchema? schema, string file, int firstIndex)
    {
        try
        {
            using var stream = File.Create(file);
            mlnet.Save(new TransformerChain<ITransformer>(group.ToArray()), schema, stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var names = string.Join(", ", group.Select((t, k) => $"{firstIndex + k}: {t.GetType().Name}"));
            throw new InvalidOperationException($"ML.NET could not save the stages [{names}]: {e.Message}", e);
        }
    }

    private DataViewSchema LoadSchema(string file, string path)
    {
        try
        {
            using var stream = File.OpenRead(file);
            mlnet.Load(stream, out var schema);
            return schema;
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"The input schema in {path} is corrupt: {e.Message}", e);
        }
    }

    private ITransformer LoadStage(ModelStage stage, int index, string root, string path)
    {
        var location = Inside(root, stage.Path, path);
        if (stage.Kind == ModelManifest.MLNetKind)
        {
            if (!File.Exists(location))
                throw new InvalidDataException($"{path} is incomplete: stage {index} ({stage.Path}) is missing.");
            try
            {
                using var stream = File.OpenRead(location);
                return mlnet.Load(stream, out _);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Stage {index} of {path} ({string.Join(", ", stage.Types ?? [])}) could not be loaded by ML.NET: {e.Message}", e);
            }
        }

        if (!Directory.Exists(location))
            throw new InvalidDataException($"{path} is incomplete: stage {index} ({stage.Path}) is missing.");
        var loader = LlmLoaders.Find<ILlmTransformerLoader>(stage.Kind, stage.Assembly, "saved transformers");
        try
        {
            return loader.Load(environment, location);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Stage {index} ({stage.Kind}) of {path}: {e.Message}", e);
        }
    }

    // Model weights barely compress, so a package that unpacks to many times its size is hostile (a zip bomb), not a model.
    internal const int MaxExpansion = 16;
    internal const long ExpansionAllowance = 64L << 20;
    internal const int MaxEntries = 100_000;

    private static void Extract(string path, string root)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            CheckSize(archive, new FileInfo(path).Length, path);
            // The declared sizes are checked before anything is written; the runtime refuses an entry whose data
            // outgrows its declared size while it extracts.
            archive.ExtractToDirectory(root);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} is not an MLNetLlm model: it is not a readable zip archive ({e.Message}).", e);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"{path} is not an MLNetLlm model: its archive cannot be extracted ({e.Message}).", e);
        }
    }

    private static void CheckSize(ZipArchive archive, long archiveBytes, string path)
    {
        if (archive.Entries.Count > MaxEntries)
            throw new InvalidDataException($"{path} is not an MLNetLlm model: it has {archive.Entries.Count:N0} entries (at most {MaxEntries:N0} are read).");
        long declared = 0;
        foreach (var entry in archive.Entries)
            declared += entry.Length;
        long allowed = MaxExpansion * archiveBytes + ExpansionAllowance;
        if (declared > allowed)
            throw new InvalidDataException($"{path} is not an MLNetLlm model: its {archiveBytes:N0} bytes would unpack to {declared:N0} " +
                $"(at most {allowed:N0}: {MaxExpansion} times the file plus {ExpansionAllowance >> 20} MB); nothing was extracted.");
    }

    /// <summary>A path the manifest names, refused when it leaves the package (the manifest is untrusted input).</summary>
    private static string Inside(string root, string relative, string path)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{path} is corrupt: its manifest names '{relative}', outside the package.");
        return full;
    }
}

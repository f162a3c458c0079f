using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// What reading and writing a Hugging Face <c>config.json</c> shares across model families: parse it into the family's
/// typed config, insist on the fields that give the model its shape (a file without them would otherwise load as the
/// config's defaults), refuse variants the model does not compute, and write one back.
/// </summary>
internal static class HuggingFaceConfigFile
{
    public const string FileName = "config.json";

    /// <summary>The parsed file and the typed config of <paramref name="folder"/>'s <c>config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no config.json.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object of <paramref name="family"/>'s config, or lacks a shape field.</exception>
    public static (string Path, JsonObject Json, T Config) Read<T>(string folder, string family, params string[] shapeFields)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint folder {folder} has no {FileName}.", path);
        try
        {
            var text = File.ReadAllText(path);
            var json = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.");
            var missing = shapeFields.Where(field => json[field] is null).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException($"{path} is not a {family} config: it lacks {string.Join(", ", missing)}.");
            var config = JsonSerializer.Deserialize<T>(text) ?? throw new InvalidDataException($"{path} is empty.");
            return (path, json, config);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {family} config: {e.Message}", e);
        }
    }

    /// <summary>Refuses the file when <paramref name="unsupported"/> holds for <paramref name="field"/>'s value (null when absent).</summary>
    /// <exception cref="InvalidDataException">The field asks for what the model does not compute, or has the wrong type.</exception>
    public static void Refuse(string path, JsonObject json, string field, Func<JsonNode?, bool> unsupported, string reason)
    {
        bool refused;
        try
        {
            refused = unsupported(json[field]);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} has a {field} of the wrong type: {json[field]?.ToJsonString()}", e);
        }
        if (refused)
            throw new InvalidDataException($"{path} {reason} ({field} = {json[field]?.ToJsonString()}).");
    }

    /// <summary><paramref name="validate"/>'s <see cref="ArgumentException"/> as an <see cref="InvalidDataException"/> naming the file.</summary>
    public static void Validate(string path, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path} describes a model that cannot be built: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="json"/> as <paramref name="folder"/>'s config.json, indented.</summary>
    public static void Write(string folder, JsonObject json) =>
        File.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

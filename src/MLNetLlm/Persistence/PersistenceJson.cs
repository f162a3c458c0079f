using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.Persistence;

/// <summary>How MLNetLlm writes and reads the JSON files of a saved model.</summary>
internal static class PersistenceJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Reads a JSON file, with an <see cref="InvalidDataException"/> naming it when missing or malformed.</summary>
    public static T Read<T>(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"The saved model is incomplete: {Path.GetFileName(path)} is missing.");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{Path.GetFileName(path)} of the saved model is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} of the saved model is malformed: {e.Message}", e);
        }
    }
}

/// <summary>The errors MLNetLlm transformers give where ML.NET's own persistence is asked of them.</summary>
internal static class PersistenceErrors
{
    public static NotSupportedException UseLlmSave(string transformer) =>
        new($"{transformer} cannot be saved with mlContext.Model.Save (ML.NET keeps its saving API internal). " +
            "Save the model with mlContext.Model.Llm.Save and load it with mlContext.Model.Llm.Load: they store any " +
            "chain of built-in ML.NET and MLNetLlm transformers.");
}

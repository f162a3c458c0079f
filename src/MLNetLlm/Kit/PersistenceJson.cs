using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.Kit;

/// <summary>How MLNetLlm writes and reads the JSON files of a saved model.</summary>
public static class PersistenceJson
{
    /// <summary>Indented, nulls left out, required constructor parameters enforced, unknown members skipped (newer
    /// files load in older code).</summary>
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
public static class PersistenceErrors
{
    /// <summary>What <c>ITransformer.Save</c> throws: ML.NET's <c>mlContext.Model.Save</c> cannot store
    /// <paramref name="transformer"/>; the message points to <c>mlContext.Model.Llm.Save</c>.</summary>
    public static NotSupportedException UseLlmSave(string transformer) =>
        new($"{transformer} cannot be saved with mlContext.Model.Save (ML.NET keeps its saving API internal). " +
            "Save the model with mlContext.Model.Llm.Save and load it with mlContext.Model.Llm.Load: they store any " +
            "chain of built-in ML.NET and MLNetLlm transformers.");
}

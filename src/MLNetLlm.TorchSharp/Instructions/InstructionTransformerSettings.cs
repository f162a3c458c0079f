using System.Text.Json.Serialization;
using MLNetLlm.Generation;
using MLNetLlm.Prompting;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>What an <see cref="InstructionTransformer"/> saves beside its GPT: columns, template name, generation.</summary>
internal sealed record InstructionTransformerSettings
{
    [JsonPropertyName("instruction_column")] public string InstructionColumnName { get; init; } = "Instruction";

    [JsonPropertyName("input_column")] public string? InputColumnName { get; init; } = "Input";

    [JsonPropertyName("response_column")] public string ResponseColumnName { get; init; } = "Response";

    [JsonPropertyName("template")] public string Template { get; init; } = "alpaca";

    [JsonPropertyName("generation")] public GenerationOptions Generation { get; init; } = new() { Greedy = true, MaxNewTokens = 64 };

    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 8;

    /// <summary>The built-in template called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">No built-in template has that name.</exception>
    public static PromptTemplate TemplateNamed(string name) => BuiltIn.FirstOrDefault(t => t.Name == name)
        ?? throw new InvalidDataException($"The saved instruction model names the template '{name}', which is not a built-in one ({string.Join(", ", BuiltIn.Select(t => t.Name))}).");

    /// <summary>Whether <paramref name="template"/> is a built-in one, which can be saved by name.</summary>
    public static bool IsBuiltIn(PromptTemplate template) => BuiltIn.Contains(template);

    private static PromptTemplate[] BuiltIn => [PromptTemplates.Alpaca, PromptTemplates.Phi3, PromptTemplates.ChatMl, PromptTemplates.Llama3];
}

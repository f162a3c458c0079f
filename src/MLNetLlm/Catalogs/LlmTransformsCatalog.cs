using Microsoft.ML.Runtime;

namespace MLNetLlm;

/// <summary>
/// The MLNetLlm transforms, reached as <c>mlContext.Transforms.Llm</c>. Each capability adds its
/// entry points in a file of its own (<c>LlmTransformsCatalog.Tokenization.cs</c>, ...).
/// </summary>
public sealed partial class LlmTransformsCatalog
{
    internal LlmTransformsCatalog(IHostEnvironment environment) => Environment = environment;

    /// <summary>The environment of the <see cref="Microsoft.ML.MLContext"/> behind the catalog: its seed and its log.</summary>
    public IHostEnvironment Environment { get; }
}

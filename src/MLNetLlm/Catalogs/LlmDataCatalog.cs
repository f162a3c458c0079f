using Microsoft.ML.Runtime;

namespace MLNetLlm;

/// <summary>
/// The MLNetLlm data operations, reached as <c>mlContext.Data.Llm</c>. Each capability adds its
/// entry points in a file of its own (<c>LlmDataCatalog.Sampling.cs</c>, ...).
/// </summary>
public sealed partial class LlmDataCatalog
{
    internal LlmDataCatalog(IHostEnvironment environment) => Environment = environment;

    /// <summary>
    /// The environment of the <see cref="Microsoft.ML.MLContext"/> behind the catalog: its seed and its log. Public so
    /// that packages adding entry points to this catalog (MLNetLlm.Datasets, MLNetLlm.TorchSharp) reach it.
    /// </summary>
    public IHostEnvironment Environment { get; }
}

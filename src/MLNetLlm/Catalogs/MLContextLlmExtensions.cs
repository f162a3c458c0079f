using MLNetLlm.Kit;
using Microsoft.ML;

namespace MLNetLlm;

/// <summary>
/// Entry points of MLNetLlm on ML.NET's catalogs: <c>mlContext.Transforms.Llm</c> and <c>mlContext.Data.Llm</c>.
/// </summary>
public static class MLContextLlmExtensions
{
    extension(TransformsCatalog catalog)
    {
        /// <summary>The MLNetLlm transforms: tokenization, decoding and the components that build on them.</summary>
        public LlmTransformsCatalog Llm => new(MLNetInternals.GetEnvironment(catalog)) { MLNetTransforms = catalog };
    }

    extension(DataOperationsCatalog catalog)
    {
        /// <summary>The MLNetLlm data operations: corpora, next-token windows and sampling.</summary>
        public LlmDataCatalog Llm => new(MLNetInternals.GetEnvironment(catalog));
    }
}

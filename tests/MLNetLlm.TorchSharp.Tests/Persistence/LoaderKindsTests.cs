using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class LoaderKindsTests
{
    // The kinds are the saved format: a renamed kind would stop every model saved before from loading.
    [Fact]
    public void The_assembly_declares_one_loader_for_each_saved_kind_under_its_recorded_name()
    {
        var declared = typeof(GptTransformer).Assembly.GetCustomAttributes(typeof(LlmLoaderAttribute), false)
            .Cast<LlmLoaderAttribute>().Select(a => (ILlmLoader)Activator.CreateInstance(a.LoaderType)!).ToList();

        Assert.Equal(["MLNetLlm.Gpt", "MLNetLlm.GptClassifier", "MLNetLlm.InstructionGpt", "MLNetLlm.Llama", "MLNetLlm.SetFit", "MLNetLlm.TrainedSentenceEmbedder"], declared.OfType<ILlmTransformerLoader>().Select(l => l.Kind).Order(StringComparer.Ordinal));
        Assert.Equal(["MLNetLlm.GptTextEmbedder", "MLNetLlm.PretrainedEncoder"], declared.OfType<ITextEmbedderLoader>().Select(l => l.Kind).Order(StringComparer.Ordinal));
    }
}

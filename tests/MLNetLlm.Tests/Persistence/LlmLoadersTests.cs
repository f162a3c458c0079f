using MLNetLlm.Kit;
using MLNetLlm.Persistence;

namespace MLNetLlm.Tests.Persistence;

public class LlmLoadersTests
{
    // Regression: a second thread that arrived while the first was still scanning the declaring assembly returned
    // at once and found no loader ("No loader for saved transformers of kind ..."), failing a load at random.
    [Fact]
    public void Threads_that_find_a_kind_while_its_assembly_is_scanned_all_get_the_loader()
    {
        string assembly = typeof(TextLengthTransformer).Assembly.GetName().Name!;
        for (int round = 0; round < 50; round++)
        {
            LlmLoaders.Forget(TextLengthTransformer.Kind, assembly);
            using var start = new Barrier(8);
            var found = new object?[8]; // the loader, or what Find threw
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try { found[i] = LlmLoaders.Find<ILlmTransformerLoader>(TextLengthTransformer.Kind, assembly, "saved transformers"); }
                catch (Exception e) { found[i] = e; }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(found, result => Assert.Equal(TextLengthTransformer.Kind, Assert.IsAssignableFrom<ILlmTransformerLoader>(result).Kind));
        }
    }

    // The kinds are the saved format: a renamed kind would stop every model saved before from loading.
    [Fact]
    public void The_core_assembly_declares_one_loader_for_each_saved_kind_under_its_recorded_name()
    {
        var declared = typeof(LlmLoaders).Assembly.GetCustomAttributes(typeof(LlmLoaderAttribute), false)
            .Cast<LlmLoaderAttribute>().Select(a => (ILlmLoader)Activator.CreateInstance(a.LoaderType)!).ToList();

        Assert.Equal(
            ["MLNetLlm.DecodeTokens", "MLNetLlm.EmbedText", "MLNetLlm.OnnxClassifier", "MLNetLlm.ProbabilitiesToLabel", "MLNetLlm.Tokenize", "MLNetLlm.TopicModel", "MLNetLlm.WordEmbeddings"],
            declared.OfType<ILlmTransformerLoader>().Select(l => l.Kind).Order(StringComparer.Ordinal));
        Assert.Equal(
            // The bundled models declare theirs in MLNetLlm.Models.
            ["MLNetLlm.OnnxSentenceEmbedder"],
            declared.OfType<MLNetLlm.Embeddings.ITextEmbedderLoader>().Select(l => l.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_kind_is_found_only_through_the_loader_interface_it_was_saved_for()
    {
        var assembly = typeof(LlmLoaders).Assembly.GetName().Name;
        Assert.Equal("MLNetLlm.Tokenize", LlmLoaders.Find<ILlmTransformerLoader>("MLNetLlm.Tokenize", assembly, "saved transformers").Kind);
        var error = Assert.Throws<InvalidDataException>(() =>
            LlmLoaders.Find<MLNetLlm.Embeddings.ITextEmbedderLoader>("MLNetLlm.Tokenize", assembly, "saved text embedders"));
        Assert.Contains("No loader for saved text embedders of kind 'MLNetLlm.Tokenize'", error.Message);
    }
}

using MLNetLlm.Persistence;

namespace MLNetLlm.Tests.Persistence;

public class LlmModelLoadersTests
{
    // Regression: a second thread that arrived while the first was still scanning the declaring assembly returned
    // at once and found no loader ("No loader for saved transformers of kind ..."), failing a load at random.
    [Fact]
    public void Threads_that_find_a_kind_while_its_assembly_is_scanned_all_get_the_loader()
    {
        string assembly = typeof(TextLengthTransformer).Assembly.GetName().Name!;
        for (int round = 0; round < 50; round++)
        {
            LlmModelLoaders.Declared.Forget(TextLengthTransformer.Kind, assembly);
            using var start = new Barrier(8);
            var found = new object?[8]; // the loader, or what Find threw
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try { found[i] = LlmModelLoaders.Find(TextLengthTransformer.Kind, assembly); }
                catch (Exception e) { found[i] = e; }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(found, result => Assert.Equal(TextLengthTransformer.Kind, Assert.IsAssignableFrom<ILlmTransformerLoader>(result).Kind));
        }
    }
}

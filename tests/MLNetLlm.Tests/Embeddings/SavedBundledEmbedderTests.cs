using Microsoft.ML;

namespace MLNetLlm.Tests.Embeddings;

/// <summary>
/// A pipeline saved with a bundled embedder, in an application that does not reference MLNetLlm.Models (this test
/// project references the core alone).
/// </summary>
public class SavedBundledEmbedderTests
{
    /// <summary>EmbedText with all-MiniLM-L6-v2, saved when the model was part of the core (its embedder names assembly MLNetLlm).</summary>
    internal static string SavedByCore => Path.Combine(AppContext.BaseDirectory, "Embeddings", "Saved", "embedtext-minilm-saved-by-core.zip");

    [Fact]
    public void Loading_fails_naming_the_package_to_add()
    {
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(seed: 1).Model.Llm.Load(SavedByCore, out _));
        Assert.Contains("all-MiniLM-L6-v2", error.Message);
        Assert.Contains("add a reference to MLNetLlm.Models", error.Message);
    }
}

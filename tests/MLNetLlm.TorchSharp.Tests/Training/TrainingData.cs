using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Training;

/// <summary>Small character-level data and models for the training tests.</summary>
internal static class TrainingData
{
    public const string ShortText = "the quick brown fox jumps over the lazy dog. the quick brown fox jumps over the lazy dog.";

    /// <summary>Lower-case letters, space and full stop as ids 0..27.</summary>
    public static int[] Characters(string text) => text.Select(c => c switch { ' ' => 26, '.' => 27, _ => c - 'a' }).ToArray();

    /// <summary>Width 16, 1 layer, 2 heads, context 16, vocabulary 32.</summary>
    public static GptConfig Micro { get; } = new() { VocabularySize = 32, ContextLength = 16, EmbeddingSize = 16, Heads = 2, Layers = 1, Dropout = 0.0 };

    public static InMemoryTokenWindows Windows(string text, int length, int stride) => InMemoryTokenWindows.FromTokens(Characters(text), length, stride);

    /// <summary>Copies of the model's parameters, to compare before and after.</summary>
    public static Dictionary<string, float[]> Snapshot(GptModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
}

/// <summary>An <see cref="IProgress{T}"/> that runs its callback at once, on the reporting thread.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>A window source that runs an action whenever a given window is read (to cancel mid-step).</summary>
internal sealed class WatchedWindows(ITokenWindowSource inner, Action<long> onRead) : ITokenWindowSource
{
    public long WindowCount => inner.WindowCount;

    public int WindowLength => inner.WindowLength;

    public void CopyWindow(long index, Span<long> inputIds, Span<long> targetIds)
    {
        onRead(index);
        inner.CopyWindow(index, inputIds, targetIds);
    }
}

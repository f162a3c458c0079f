using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class LoadedCheckpointGenerationTests
{
    [Fact]
    public void Greedy_generation_from_a_loaded_checkpoint_follows_the_independent_forward_pass()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 21);
        checkpoint.WriteTo(folder.Path, prefix: "transformer.", withBuffers: true);
        int[] prompt = [3, 17, 0];
        const int newTokens = 8;

        using var model = HuggingFaceGpt2.Load(folder.Path);
        var generated = new GptGenerator(model, new IdsOnlyTokenizer())
            .GenerateIds(prompt, new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, UseKvCache = true });

        var expected = new List<int>();
        var sequence = prompt.ToList();
        for (int step = 0; step < newTokens; step++)
        {
            var logits = ReferenceGpt2Forward.Logits(checkpoint.Weights, TinyHuggingFaceGpt2.Layers, TinyHuggingFaceGpt2.Heads, TinyHuggingFaceGpt2.Epsilon, [.. sequence]);
            var last = logits.AsSpan((sequence.Count - 1) * TinyHuggingFaceGpt2.Vocabulary, TinyHuggingFaceGpt2.Vocabulary);
            int next = last.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(last));
            expected.Add(next);
            sequence.Add(next);
        }
        Assert.Equal(expected, generated);
    }

    /// <summary>Token ids written as numbers: the generator needs only the vocabulary size and (absent) end-of-text id.</summary>
    private sealed class IdsOnlyTokenizer : LlmTokenizer
    {
        public override string Name => "ids";
        public override int VocabularySize => TinyHuggingFaceGpt2.Vocabulary;
        public override IReadOnlyDictionary<string, int> SpecialTokens { get; } = new Dictionary<string, int>();
        public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) =>
            [.. text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
        public override string Decode(IEnumerable<int> ids) => string.Join(" ", ids);
        public override void Save(string directory) => throw new NotSupportedException("This test tokenizer is never saved.");
    }
}

using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// Generation with ONNX Runtime alone against the TorchSharp generator on the model that was exported. The tiny model's
/// context is 16 tokens, so 30 new tokens slide the window at least once.
/// </summary>
public sealed class OnnxGptGeneratorTests : IClassFixture<OnnxGptGeneratorTests.ExportedGpt>
{
    private readonly ExportedGpt _gpt;

    public OnnxGptGeneratorTests(ExportedGpt gpt) => _gpt = gpt;

    /// <summary>A tiny random GPT, exported once with past key/values (and once as plain logits) for every test here.</summary>
    public sealed class ExportedGpt : IDisposable
    {
        private readonly TemporaryFolder _folder = new();

        public ExportedGpt()
        {
            Model = new GptModel(TinyGpt.Config, seed: 5);
            WithPast = _folder.File("gpt-with-past.onnx");
            Logits = _folder.File("gpt-logits.onnx");
            OnnxExporter.Export(Model, TinyGpt.Tokenizer, WithPast, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
            OnnxExporter.Export(Model, TinyGpt.Tokenizer, Logits);
            Generator = new OnnxGptGenerator(WithPast);
        }

        public GptModel Model { get; }
        public string WithPast { get; }
        public string Logits { get; }
        public OnnxGptGenerator Generator { get; }

        public void Dispose()
        {
            Generator.Dispose();
            Model.Dispose();
            _folder.Dispose();
        }
    }

    [Theory]
    [InlineData("The jury said", 30)]
    [InlineData("A report", 5)]
    public void Greedy_EqualsTorchSharp_TokenForToken(string prompt, int newTokens)
    {
        var torch = new GptGenerator(_gpt.Model, TinyGpt.Tokenizer);
        var ids = TinyGpt.Tokenizer.EncodeToIds(prompt);
        var expected = torch.GenerateIds(ids, new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false });
        var actual = _gpt.Generator.GenerateIds(ids, new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false });
        Assert.Equal(newTokens, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GreedyBatch_WithLeftPadding_EqualsTorchSharp_AndEachPromptAlone()
    {
        IReadOnlyList<IReadOnlyList<int>> prompts =
            [TinyGpt.Tokenizer.EncodeToIds("The county voted"), TinyGpt.Tokenizer.EncodeToIds("Our"), TinyGpt.Tokenizer.EncodeToIds("The court asked")];
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 12, StopAtEndOfText = false };
        var batch = _gpt.Generator.GenerateIds(prompts, options);
        var torch = new GptGenerator(_gpt.Model, TinyGpt.Tokenizer).GenerateIds(prompts, new GenerationOptions { Greedy = true, MaxNewTokens = 12, StopAtEndOfText = false });
        Assert.Equal(torch, batch);
        for (int i = 0; i < prompts.Count; i++)
            Assert.Equal(_gpt.Generator.GenerateIds(prompts[i], options), batch[i]);
    }

    [Fact]
    public void Sampling_IsSeeded_AndNarrowSamplingIsGreedy()
    {
        var sampled = new GenerationOptions { Temperature = 1.5, MaxNewTokens = 20, Seed = 3, StopAtEndOfText = false };
        Assert.Equal(_gpt.Generator.Generate("The city", sampled), _gpt.Generator.Generate("The city", sampled));

        var greedy = _gpt.Generator.Generate("The city", new GenerationOptions { Greedy = true, MaxNewTokens = 20, StopAtEndOfText = false });
        Assert.Equal(greedy, _gpt.Generator.Generate("The city", sampled with { TopK = 1 }));
        Assert.Equal(greedy, _gpt.Generator.Generate("The city", sampled with { TopP = 1e-6 }));
    }

    [Fact]
    public async Task Stream_ConcatenatesToGenerate()
    {
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 25 };
        var pieces = new List<string>();
        await foreach (var piece in _gpt.Generator.StreamAsync("The jury", options))
            pieces.Add(piece);
        Assert.Equal(_gpt.Generator.Generate("The jury", options), string.Concat(pieces));
    }

    [Fact]
    public void StopTokens_EndGeneration_WithoutTheStopToken()
    {
        var ids = TinyGpt.Tokenizer.EncodeToIds("The jury said");
        var free = _gpt.Generator.GenerateIds(ids, new GenerationOptions { Greedy = true, MaxNewTokens = 10, StopAtEndOfText = false });
        var stopped = _gpt.Generator.GenerateIds(ids, new GenerationOptions { Greedy = true, MaxNewTokens = 10, StopTokens = [free[3]], StopAtEndOfText = false });
        Assert.Equal(free.TakeWhile(id => id != free[3]), stopped);
    }

    [Fact]
    public void BadInput_FailsClearly()
    {
        var generator = _gpt.Generator;
        int context = TinyGpt.Config.ContextLength;
        var tooLong = Enumerable.Repeat(5, context + 1).ToArray();
        Assert.Contains("context length is 16", Assert.Throws<ArgumentException>(() => generator.GenerateIds(tooLong)).Message);
        Assert.Throws<ArgumentException>(() => generator.GenerateIds(Array.Empty<int>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds([TinyGpt.Config.VocabularySize]));

        // The window fills up: an error when asked for, a slide by default.
        var full = Enumerable.Repeat(5, context).ToArray();
        var overflow = Assert.Throws<InvalidOperationException>(() =>
            generator.GenerateIds(full, new GenerationOptions { Greedy = true, MaxNewTokens = 3, ContextOverflow = ContextOverflow.Error }));
        Assert.Contains("exceed the exported context length", overflow.Message);
        Assert.Equal(3, generator.GenerateIds(full, new GenerationOptions { Greedy = true, MaxNewTokens = 3, StopAtEndOfText = false }).Length);

        // An empty text prompt starts from end-of-text, as the TorchSharp generator does.
        var fromStart = generator.GenerateIds([TinyGpt.Tokenizer.EndOfTextId!.Value], new GenerationOptions { Greedy = true, MaxNewTokens = 5, StopAtEndOfText = false });
        Assert.Equal(TinyGpt.Tokenizer.Decode(fromStart), generator.Generate("", new GenerationOptions { Greedy = true, MaxNewTokens = 5, StopAtEndOfText = false }));
    }

    [Fact]
    public void WrongKind_OrWrongTokenizer_IsRefused()
    {
        var kind = Assert.Throws<ArgumentException>(() => new OnnxGptGenerator(_gpt.Logits));
        Assert.Contains("GptLogits", kind.Message);
        Assert.Contains("GptWithPast", kind.Message);

        // Same size, other merges: the ids mean other text.
        var other = BpeTrainer.Train(["Completely different words, learned from another corpus entirely."], new BpeTrainerOptions { VocabularySize = TinyGpt.Config.VocabularySize });
        var vocabulary = Assert.Throws<ArgumentException>(() => new OnnxGptGenerator(_gpt.WithPast, other));
        Assert.Contains("vocabulary differs", vocabulary.Message);
    }
}

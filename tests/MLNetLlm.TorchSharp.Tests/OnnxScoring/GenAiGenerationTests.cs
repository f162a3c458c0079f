using Microsoft.ML.OnnxRuntimeGenAI;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// Our with-past export, with the files of <see cref="OnnxExportOptions.WriteGenAiConfig"/>, run in ONNX Runtime GenAI
/// (a test-only package): its greedy tokens against <see cref="OnnxGptGenerator"/>'s and its tokenizer against ours.
/// </summary>
public sealed class GenAiGenerationTests : IClassFixture<GenAiGenerationTests.ExportedFolder>
{
    private readonly ExportedFolder _export;

    public GenAiGenerationTests(ExportedFolder export) => _export = export;

    /// <summary>The tiny random GPT exported once with past key/values and the GenAI files, opened by both engines.</summary>
    public sealed class ExportedFolder : IDisposable
    {
        private readonly TemporaryFolder _folder = new();

        public ExportedFolder()
        {
            using var model = new GptModel(TinyGpt.Config, seed: 5);
            ModelPath = _folder.File("model.onnx");
            OnnxExporter.Export(model, TinyGpt.Tokenizer, ModelPath, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast, WriteGenAiConfig = true });
            Ours = new OnnxGptGenerator(ModelPath);
            GenAi = new Model(_folder.Path);
        }

        public string Folder => _folder.Path;
        public string ModelPath { get; }
        public OnnxGptGenerator Ours { get; }
        public Model GenAi { get; }

        public void Dispose()
        {
            GenAi.Dispose();
            Ours.Dispose();
            _folder.Dispose();
        }
    }

    [Theory]
    [InlineData("The jury said")]
    [InlineData("A report")]
    [InlineData("Our mayor denied")]
    [InlineData("The")]
    public void GenAiGreedy_EqualsOnnxGptGenerator_TokenForToken(string prompt)
    {
        var ids = TinyGpt.Tokenizer.EncodeToIds(prompt);
        int newTokens = TinyGpt.Config.ContextLength - ids.Count; // GenAI cannot slide the window: fill the context exactly
        var expected = _export.Ours.GenerateIds(ids, new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false });

        using var parameters = new GeneratorParams(_export.GenAi);
        parameters.SetSearchOption("do_sample", false);
        parameters.SetSearchOption("max_length", TinyGpt.Config.ContextLength);
        using var generator = new Generator(_export.GenAi, parameters);
        generator.AppendTokens([.. ids]);
        while (!generator.IsDone()) generator.GenerateNextToken();
        var sequence = generator.GetSequence(0).ToArray();

        Assert.Equal([.. ids], sequence[..ids.Count]);
        Assert.Equal(expected, sequence[ids.Count..]);
        Assert.Equal(newTokens, expected.Length);
    }

    [Theory]
    [InlineData("The jury said the election was fair.")]
    [InlineData("  Two spaces, digits 1234 and don't, can't.")]
    [InlineData("Ünïcödé and an emoji 🙂 go through the byte alphabet")]
    public void GenAiTokenizer_EncodesAndDecodesAsOurs(string text)
    {
        using var tokenizer = new Tokenizer(_export.GenAi);
        using var sequences = tokenizer.Encode(text);
        var theirs = sequences[0].ToArray();
        Assert.Equal([.. TinyGpt.Tokenizer.EncodeToIds(text)], theirs);
        Assert.Equal(text, tokenizer.Decode(theirs));
    }

    [Fact]
    public void GenAiConfig_NamesOurGraph()
    {
        var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_export.Folder, "genai_config.json"))).RootElement;
        var decoder = config.GetProperty("model").GetProperty("decoder");
        Assert.Equal("model.onnx", decoder.GetProperty("filename").GetString());
        Assert.Equal("past_key_values.%d.key", decoder.GetProperty("inputs").GetProperty("past_key_names").GetString());
        Assert.Equal("present.%d.value", decoder.GetProperty("outputs").GetProperty("present_value_names").GetString());
        Assert.Equal(TinyGpt.Tokenizer.EndOfTextId, config.GetProperty("model").GetProperty("eos_token_id").GetInt32());
        Assert.Equal(16, config.GetProperty("model").GetProperty("context_length").GetInt32());
    }

    [Fact]
    public void WriteGenAiConfig_WithoutPast_IsRefused_AndNothingIsWritten()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TinyGpt.Config, seed: 5);
        var error = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.Export(model, TinyGpt.Tokenizer, folder.File("m.onnx"), new OnnxExportOptions { WriteGenAiConfig = true }));
        Assert.Equal("WriteGenAiConfig", error.ParamName);
        Assert.Contains("GptWithPast", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData(@"\S+", "<|endoftext|>", "pre-tokenizer pattern")]
    [InlineData(BpeTokenizerOptions.Gpt2PreTokenizerPattern, null, "end-of-text token")]
    public void WriteGenAiConfig_WithATokenizerGenAiWouldReadOtherwise_IsRefused_AndNothingIsWritten(string pattern, string? endOfText, string named)
    {
        var tokenizer = BpeTrainer.Train(TinyGpt.Corpus(40).Select(d => d.Text),
            new BpeTrainerOptions { VocabularySize = 300, PreTokenizerPattern = pattern, EndOfTextToken = endOfText });
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TinyGpt.Config, seed: 5);
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, tokenizer, folder.File("m.onnx"),
            new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast, WriteGenAiConfig = true }));
        Assert.Equal("tokenizer", error.ParamName);
        Assert.Contains(named, error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}

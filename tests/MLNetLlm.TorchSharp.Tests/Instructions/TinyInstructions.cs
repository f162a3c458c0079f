using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

/// <summary>A tiny instruction set over the words of <see cref="TinyGpt"/>'s vocabulary, a short template, and a tiny GPT
/// with room for them, so instruction-tuning tests take seconds.</summary>
internal static class TinyInstructions
{
    private static readonly (string Word, string Partner)[] Pairs =
        [("jury", "court"), ("county", "city"), ("mayor", "board"), ("election", "vote"), ("law", "budget"), ("report", "records")];

    /// <summary>A short format: the book's Alpaca preamble alone is longer than the tiny context.</summary>
    public static PromptTemplate Template { get; } = PromptTemplates.FromFormat("Q: {instruction}{input}\nA: {response}", " {input}");

    public static GptConfig Config { get; } = TinyGpt.Config with { ContextLength = 32 };

    /// <summary>Every word with its partner, <paramref name="repeats"/> times.</summary>
    public static List<Row> Rows(int repeats = 4) =>
        [.. Enumerable.Range(0, repeats).SelectMany(_ => Pairs).Select(p => new Row { Instruction = "Pair the word.", Input = p.Word, Output = p.Partner })];

    public static GptTransformer BaseModel(int seed = 1) =>
        GptTransformer.Own(new GptModel(Config, seed: (ulong)seed), TinyGpt.Tokenizer, new GptTransformerOptions());

    public static InstructionTuningOptions Options(GptTransformer baseModel, InstructionParameters parameters = InstructionParameters.All, int epochs = 6) => new()
    {
        BaseModel = baseModel,
        Template = Template,
        Parameters = parameters,
        MaxEpochs = epochs,
        BatchSize = 6,
        LearningRate = 1e-2,
        MinLearningRate = 1e-3,
        WarmupSteps = 2,
        EvaluateEveryNSteps = 4,
        Seed = 5,
        Generation = new MLNetLlm.Generation.GenerationOptions { Greedy = true, MaxNewTokens = 4 },
    };

    public static IDataView Data(MLContext ml, IEnumerable<Row>? rows = null) => ml.Data.LoadFromEnumerable(rows ?? Rows());

    public sealed class Row
    {
        public string Instruction { get; set; } = "";
        public string Input { get; set; } = "";
        public string Output { get; set; } = "";
    }

    public sealed class PairRow
    {
        public string Instruction { get; set; } = "";
        public string Input { get; set; } = "";
        public string Chosen { get; set; } = "";
        public string Rejected { get; set; } = "";
    }
}

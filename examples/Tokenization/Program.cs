// Tokenizers of MLNetLlm: GPT-2 and its successors, a BPE trained on your own text, saved and reloaded.
// Usage: dotnet run --project examples/Tokenization [-- text-file-to-train-on]
using MLNetLlm.Tokenization;

const string sentence = "Hello, world! Tokenizers turn text into ids.";

foreach (var name in LlmTokenizers.Names)
{
    var tokenizer = LlmTokenizers.FromName(name);
    var ids = tokenizer.EncodeToIds(sentence);
    Console.WriteLine($"{name,-12} {ids.Count,2} tokens: [{string.Join(", ", ids)}]");
}

// Train a byte-level BPE on a text file, or on a few sentences when none is given.
string[] texts = args.Length > 0
    ? File.ReadAllText(args[0]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
    : [.. Enumerable.Repeat("The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.", 20)];
var bpe = BpeTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = 400, PaddingToken = "<|pad|>" });
var trainedIds = bpe.EncodeToIds(sentence);
Console.WriteLine($"trained BPE  {trainedIds.Count,2} tokens ({bpe.VocabularySize} ids, {bpe.Merges.Count} merges), decodes back: {bpe.Decode(trainedIds) == sentence}");

// Save, then load without the training texts; export vocab.json + merges.txt for other BPE tokenizers.
var folder = Path.Combine(Path.GetTempPath(), "mlnetllm-example-tokenizer");
bpe.Save(folder);
var reloaded = LlmTokenizers.Load(folder);
Console.WriteLine($"reloaded from {folder}: same ids {reloaded.EncodeToIds(sentence).SequenceEqual(trainedIds)}, files {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))}");

// A character tokenizer whose vocabulary is counted from the same texts; unseen characters map to <unk>.
var characters = LlmTokenizers.Characters().Build(texts);
Console.WriteLine($"characters   {characters.VocabularySize} ids; 'fox!' -> [{string.Join(", ", characters.EncodeToIds("fox!"))}] (<unk> = {characters.UnknownId})");

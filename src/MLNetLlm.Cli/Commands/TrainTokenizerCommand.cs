using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using MLNetLlm.Tokenization;
using Spectre.Console;

namespace MLNetLlm.Cli.Commands;

/// <summary><c>mlnetllm train-tokenizer</c>: learns a byte-level BPE vocabulary from a corpus and saves the tokenizer.</summary>
internal static class TrainTokenizerCommand
{
    public static Command Create(CliConsole console)
    {
        var corpus = new Corpus();
        var vocabularySize = new Option<int>("--vocab-size") { Description = "Ids to reach: 256 bytes, learned merges and <|endoftext|>.", DefaultValueFactory = _ => 8_000 };
        vocabularySize.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 257) r.AddError("--vocab-size must be at least 257 (the 256 bytes and <|endoftext|>)."); });
        var minFrequency = new Option<int>("--min-frequency") { Description = "Fewest occurrences a pair needs to be merged.", DefaultValueFactory = _ => 2 };
        minFrequency.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--min-frequency must be at least 1."); });
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to save the tokenizer in (created).", Required = true };

        var command = new Command("train-tokenizer", "Learn a byte-level BPE tokenizer from the Brown corpus or a text file.");
        corpus.AddTo(command);
        command.Add(vocabularySize);
        command.Add(minFrequency);
        command.Add(output);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var ml = new MLContext(seed: 1);
            var texts = Corpus.Texts(corpus.Load(ml, parsed));
            var options = new BpeTrainerOptions { VocabularySize = parsed.GetValue(vocabularySize), MinFrequency = parsed.GetValue(minFrequency) };
            var watch = Stopwatch.StartNew();
            BpeLlmTokenizer tokenizer = null!;
            console.Ansi.Status().Start("Learning BPE merges...", _ => tokenizer = BpeTrainer.Train(texts, options));
            var folder = parsed.GetValue(output)!.FullName;
            tokenizer.Save(folder);
            console.Out.WriteLine($"Learned {tokenizer.VocabularySize:N0} ids in {watch.Elapsed.TotalSeconds:F1} s; saved to {folder}.");
            return Task.FromResult(0);
        });
        return command;
    }
}

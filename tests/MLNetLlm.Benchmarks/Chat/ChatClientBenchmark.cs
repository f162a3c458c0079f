using System.Diagnostics;
using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using static MLNetLlm.Benchmarks.Measure;

namespace MLNetLlm.Benchmarks.Chat;

/// <summary>
/// What the IChatClient adapter costs: greedy generation of the same tokens from the shipped Brown GPT through
/// <see cref="TextGenerator.StreamAsync"/> and through <see cref="GeneratorChatClient.GetStreamingResponseAsync"/>
/// (template rendering, stop-sequence scanning with two stop strings, updates, usage), on TorchSharp and on the model's
/// ONNX export with past key/values. Runs alternate; tokens/s are medians, the ratio is the median of per-pair ratios.
/// </summary>
public static class ChatClientBenchmark
{
    private const int NewTokens = 100, Runs = 7;
    private const string Question = "The jury said that the election";

    /// <summary>Runs the comparison and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start; {NewTokens} greedy tokens a run, {Runs} runs each.");
        output.WriteLine();
        var generation = new GenerationOptions { Greedy = true, MaxNewTokens = NewTokens, StopAtEndOfText = false };
        // Stops that the Brown model does not write: the scan runs on every piece, the answer is never cut.
        var template = PromptTemplates.FromFormat("{instruction}{response}", stopSequences: ["\n\n### Instruction:", "<|im_end|>"]);
        var folder = Directory.CreateTempSubdirectory("mlnetllm-chat-bench-");
        try
        {
            using var brown = GptModels.LoadBrown();
            string onnxPath = Path.Combine(folder.FullName, "brown-past.onnx");
            OnnxExporter.Export(brown.Model, brown.Tokenizer!, onnxPath, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
            using var onnx = new OnnxGptGenerator(onnxPath);
            output.WriteLine("| generator | StreamAsync tokens/s | IChatClient tokens/s | chat / direct |");
            output.WriteLine("| --- | --- | --- | --- |");
            foreach (var (name, generator) in new (string, TextGenerator)[] { ("GptGenerator (TorchSharp)", new GptGenerator(brown.Model, brown.Tokenizer!)), ("OnnxGptGenerator", onnx) })
            {
                var client = generator.AsIChatClient(template, new GeneratorChatClientOptions { Generation = generation });
                Direct(generator, generation); // warm-up
                Chat(client);
                var direct = new double[Runs];
                var chat = new double[Runs];
                for (int run = 0; run < Runs; run++)
                {
                    direct[run] = Direct(generator, generation);
                    chat[run] = Chat(client);
                }
                double ratio = Median([.. chat.Zip(direct, (c, d) => c / d)]);
                output.WriteLine($"| {name} | {Median(direct):F0} | {Median(chat):F0} | {ratio:F3} |");
            }
            output.WriteLine();
            output.WriteLine($"Load average {LoadAverage()} at the end.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double Direct(TextGenerator generator, GenerationOptions options)
    {
        var watch = Stopwatch.StartNew();
        var stream = generator.StreamAsync(Question, options).GetAsyncEnumerator();
        try
        {
            while (stream.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
            }
        }
        finally
        {
            stream.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return NewTokens / watch.Elapsed.TotalSeconds;
    }

    private static double Chat(IChatClient client)
    {
        var watch = Stopwatch.StartNew();
        var updates = new List<ChatResponseUpdate>();
        var stream = client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Question)]).GetAsyncEnumerator();
        try
        {
            while (stream.MoveNextAsync().AsTask().GetAwaiter().GetResult()) updates.Add(stream.Current);
        }
        finally
        {
            stream.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        double seconds = watch.Elapsed.TotalSeconds;
        long produced = updates.ToChatResponse().Usage?.OutputTokenCount ?? 0;
        if (produced != NewTokens)
            throw new InvalidOperationException($"The chat client produced {produced} tokens, not {NewTokens}: a stop sequence cut the answer, so the runs are not comparable.");
        return NewTokens / seconds;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}

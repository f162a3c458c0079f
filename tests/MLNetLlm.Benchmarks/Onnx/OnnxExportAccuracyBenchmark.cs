using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Onnx;

/// <summary>
/// What the ONNX export's weight types cost in accuracy (issue 7): the shipped brown-gpt exported as float32, float16
/// and int8, each run by ONNX Runtime on windows of Brown corpus text and compared with TorchSharp on the same windows:
/// largest logit difference, agreement of the most likely next token, and perplexity.
/// </summary>
public static class OnnxExportAccuracyBenchmark
{
    private const int Windows = 24;

    /// <summary>Runs the comparison and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var checkpoint = GptCheckpoint.Load(GptModels.BrownPath);
        using var model = checkpoint.Model;
        model.eval();
        var tokenizer = checkpoint.Tokenizer!;
        int context = model.Config.ContextLength, vocabulary = model.Config.VocabularySize;

        // The last documents of each genre: text the model saw least of (its training split held out 10% of documents).
        var brown = new MLContext(seed: 1).Data.Llm.LoadBrownCorpus();
        var texts = brown.GetColumn<string>("Text").Reverse().Take(Windows).ToArray();
        var windows = texts.Select(t => tokenizer.EncodeToIds(t).Take(context).Select(i => (long)i).ToArray()).Where(w => w.Length == context).ToArray();
        var ids = windows.SelectMany(w => w).ToArray();
        var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        long[] shape = [windows.Length, context];

        float[] reference;
        using (var scope = NewDisposeScope())
        using (no_grad())
            reference = model.Forward(tensor(ids, shape)).data<float>().ToArray();
        output.WriteLine($"brown-gpt ({model.ParameterCount:N0} parameters), {windows.Length} Brown windows of {context} tokens; " +
                         $"TorchSharp perplexity {Perplexity(reference, ids, windows.Length, context, vocabulary):F2}.");
        output.WriteLine();
        output.WriteLine("| weights | file MB | max \\|Δ logit\\| | mean \\|Δ logit\\| | top-1 agreement | perplexity |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");

        var folder = Directory.CreateTempSubdirectory("mlnetllm-onnx-accuracy-");
        try
        {
            foreach (var weightType in Enum.GetValues<OnnxWeightType>())
            {
                var path = Path.Combine(folder.FullName, $"brown-{weightType}.onnx");
                OnnxExporter.Export(model, tokenizer, path, new OnnxExportOptions { WeightType = weightType });
                using var session = new InferenceSession(path);
                using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
                using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [LlmOnnxNames.InputIds] = idsValue, [LlmOnnxNames.AttentionMask] = maskValue }, [LlmOnnxNames.Logits]);
                var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();

                double worst = 0, sum = 0;
                for (int i = 0; i < logits.Length; i++)
                {
                    double difference = Math.Abs(logits[i] - reference[i]);
                    worst = Math.Max(worst, difference);
                    sum += difference;
                }
                int agree = 0, positions = windows.Length * context;
                for (int p = 0; p < positions; p++)
                    agree += ArgMax(logits.AsSpan(p * vocabulary, vocabulary)) == ArgMax(reference.AsSpan(p * vocabulary, vocabulary)) ? 1 : 0;
                output.WriteLine($"| {weightType} | {new FileInfo(path).Length / 1e6:F1} | {worst:g3} | {sum / logits.Length:g3} | {100.0 * agree / positions:F2}% | {Perplexity(logits, ids, windows.Length, context, vocabulary):F2} |");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    // exp(mean negative log-likelihood of each next token)
    private static double Perplexity(float[] logits, long[] ids, int rows, int context, int vocabulary)
    {
        double nll = 0;
        int count = 0;
        for (int row = 0; row < rows; row++)
            for (int t = 0; t + 1 < context; t++)
            {
                var scores = logits.AsSpan((row * context + t) * vocabulary, vocabulary);
                float max = float.NegativeInfinity;
                foreach (var s in scores) max = Math.Max(max, s);
                double total = 0;
                foreach (var s in scores) total += Math.Exp(s - max);
                nll += Math.Log(total) + max - scores[(int)ids[row * context + t + 1]];
                count++;
            }
        return Math.Exp(nll / count);
    }
}

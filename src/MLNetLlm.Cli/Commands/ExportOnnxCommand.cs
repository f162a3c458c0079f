using System.CommandLine;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm export-onnx</c>: writes a GPT or Llama-family model (logits or with past key/values), its embedder, or the model of a saved
/// pipeline (a fine-tuned classifier, an EmbedText stage) to an ONNX file that ONNX Runtime scores without libtorch.
/// </summary>
internal static class ExportOnnxCommand
{
    private static readonly Dictionary<string, LlmOnnxKind> Kinds = new(StringComparer.Ordinal)
    {
        ["logits"] = LlmOnnxKind.GptLogits,
        ["with-past"] = LlmOnnxKind.GptWithPast,
        ["embedder"] = LlmOnnxKind.Embedder,
        ["classifier"] = LlmOnnxKind.Classifier,
    };

    private static readonly Dictionary<string, EmbeddingPooling> Poolings = new(StringComparer.Ordinal)
    {
        ["mean"] = EmbeddingPooling.Mean,
        ["last"] = EmbeddingPooling.LastToken,
        ["first"] = EmbeddingPooling.FirstToken,
    };

    private static readonly Dictionary<string, OnnxWeightType> WeightTypes = new(StringComparer.Ordinal)
    {
        ["fp32"] = OnnxWeightType.Float32,
        ["fp16"] = OnnxWeightType.Float16,
        ["int8"] = OnnxWeightType.Int8,
    };

    public static Command Create(CliConsole console)
    {
        var model = new Option<string?>("--model", "-m")
        {
            Description = "A GPT folder (ours, or a Hugging Face GPT-2 folder), a Hugging Face Llama-family folder (llama, qwen2, qwen3), or a .zip pipeline saved with mlContext.Model.Llm.Save (a fine-tuned classifier, an EmbedText stage). Default: the shipped brown-gpt.",
        };
        model.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is string path && !Directory.Exists(path) && !File.Exists(path))
                r.AddError($"The model {Path.GetFullPath(path)} does not exist.");
        });
        var kind = new Option<string?>("--kind", "-k") { Description = "What the graph computes: logits, with-past (for generation), embedder, or classifier (from a saved classifier pipeline). Default: the model's own kind (logits for a GPT or Llama-family folder)." };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .onnx file to write (its folder is created; an existing file is replaced only once the new one is complete).", Required = true };
        var pooling = new Option<string>("--pooling") { Description = "Embedder only: mean, last or first (real) token.", DefaultValueFactory = _ => "mean" };
        pooling.AcceptOnlyFromAmong([.. Poolings.Keys]);
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Embedder only: keep the pooled vectors as they are instead of scaling them to length 1." };
        var weights = new Option<string>("--weights") { Description = "fp32 (as trained), fp16 (half the file; still computes in float32) or int8 (dynamic int8 quantisation of the blocks' matrix multiplications).", DefaultValueFactory = _ => "fp32" };
        weights.AcceptOnlyFromAmong([.. WeightTypes.Keys]);

        var command = new Command("export-onnx", "Export a GPT or Llama-family model, its embedder, or a fine-tuned classifier to ONNX for scoring with ONNX Runtime.") { model, kind, output, pooling, noNormalize, weights };
        CommandRunner.SetBody(command, console, async (parsed, cancellationToken) =>
        {
            LlmOnnxKind? requested = parsed.GetValue(kind) is string name ? Kinds[name] : null;
            var options = new OnnxExportOptions
            {
                Kind = requested,
                Pooling = Poolings[parsed.GetValue(pooling)!],
                Normalize = !parsed.GetValue(noNormalize),
                WeightType = WeightTypes[parsed.GetValue(weights)!],
            };
            string source = parsed.GetValue(model) is string given ? Path.GetFullPath(given) : GptModels.BrownPath;
            string target = parsed.GetValue(output)!.FullName;
            var metadata = Export(source, target, options);
            await console.Out.WriteLineAsync($"Exported {source} as {metadata.Kind} to {target} ({new FileInfo(target).Length:N0} bytes, opset {OnnxExporter.Opset}).");
            await console.Out.WriteLineAsync(metadata.Signature);
            return 0;
        });
        return command;
    }

    private static LlmOnnxMetadata Export(string source, string target, OnnxExportOptions options)
    {
        var ml = new MLContext();
        try
        {
            if (File.Exists(source))
            {
                var pipeline = ml.Model.Llm.Load(source, out _);
                try
                {
                    return ml.Model.Llm.ExportOnnx(pipeline, target, options);
                }
                finally
                {
                    foreach (var stage in pipeline is IEnumerable<ITransformer> chain ? chain : [pipeline])
                        (stage as IDisposable)?.Dispose();
                }
            }
            if (options.Kind == LlmOnnxKind.Classifier)
                throw new UsageException($"{source} is a model folder; a classifier comes from a pipeline saved with mlContext.Model.Llm.Save: pass its .zip with --model.");
            using var decoder = DecoderModel.Open(source, new GptTransformerOptions());
            return decoder.ExportOnnx(target, options);
        }
        catch (Exception e) when (e is IOException and not (FileNotFoundException or DirectoryNotFoundException) || e is NotSupportedException or InvalidOperationException)
        {
            throw new UsageException(e.Message);
        }
    }
}

using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Microsoft.ML;

namespace MLNetLlm;

public sealed partial class LlmTransformsCatalog
{
    /// <summary>ML.NET's own transforms catalog this one hangs off (for <c>ApplyOnnxModel</c>), when reached through it.</summary>
    internal TransformsCatalog? MLNetTransforms { get; init; }

    /// <summary>
    /// Scores the text column <paramref name="inputColumnName"/> with a classifier exported by MLNetLlm, with ONNX Runtime
    /// (no libtorch). By default an <see cref="OnnxClassifierTransformer"/>: rows read <see cref="OnnxScoringOptions.BatchSize"/>
    /// at a time, texts encoded as the TorchSharp classifier encodes them, grouped by length, one ONNX Runtime call per
    /// group padded to its longest row. With <see cref="OnnxScoringOptions.UseApplyOnnxModel"/>, the plain ML.NET chain
    /// <c>Tokenize</c> (ids padded to <paramref name="sequenceLength"/> plus an attention mask, named as the model's
    /// inputs) → <c>ApplyOnnxModel</c> (one call per row) → <see cref="MapProbabilitiesToLabel"/>, with the intermediate
    /// columns dropped. Both add <c>Score</c> (the class probabilities, labels as slot names) and <c>PredictedLabel</c>
    /// (a key over the model's class labels), so <c>MulticlassClassification.Evaluate</c> and <c>MapKeyToValue</c> work,
    /// and both save with <c>mlContext.Model.Llm.Save</c> (the ONNX model is stored inside); chains saved before the
    /// batched scorer existed load and score as they did.
    /// </summary>
    /// <param name="modelPath">The classifier's <c>.onnx</c> file; its class labels and tokenizer come from its metadata.</param>
    /// <param name="inputColumnName">The text column.</param>
    /// <param name="sequenceLength">The most tokens a text keeps (a framing end token such as <c>[SEP]</c> stays last).
    /// Default: the exported context length, the classifier's trained maximum length. The ApplyOnnxModel chain pads every
    /// row to it.</param>
    /// <param name="tokenizer">The tokenizer; null uses the one stored in the model. A tokenizer with another vocabulary is refused.</param>
    /// <param name="scoring">Batch size, threads, execution provider, or the ApplyOnnxModel chain; null is <see cref="OnnxScoringOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The model is not a classifier, not exported by MLNetLlm, the tokenizer does not
    /// match it, or <see cref="OnnxScoringOptions.ExecutionProvider"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is below 1 or above the exported
    /// context, or the batch size or thread count is below 1.</exception>
    /// <example><code>
    /// var scored = ml.Transforms.Llm.ClassifyWithOnnx("classifier.onnx", "Text").Fit(data).Transform(data);
    /// var metrics = ml.MulticlassClassification.Evaluate(ml.Transforms.Conversion.MapValueToKey("Label").Fit(scored).Transform(scored));
    /// </code></example>
    public EstimatorChain<ITransformer> ClassifyWithOnnx(string modelPath, string inputColumnName = "Text", int? sequenceLength = null, LlmTokenizer? tokenizer = null,
        OnnxScoringOptions? scoring = null)
    {
        var options = scoring ?? OnnxScoringOptions.Default;
        options.Validate();
        if (options.UseApplyOnnxModel)
        {
            // ApplyOnnxModel opens its own session: this one only reads the metadata and checks the model.
            LlmOnnxMetadata metadata;
            LlmTokenizer used;
            int length;
            using (var checkedModel = OpenForPipeline(modelPath, LlmOnnxKind.Classifier, nameof(ClassifyWithOnnx), sequenceLength, tokenizer, 1, OnnxExecutionProviders.Cpu, out length))
                (metadata, used) = (checkedModel.Metadata, checkedModel.Tokenizer);
            Environment.LogInfo("ClassifyWithOnnx", $"ClassifyWithOnnx '{inputColumnName}' with {modelPath}: {metadata.ClassLabels!.Count} classes, ApplyOnnxModel with rows padded to {length} tokens.");
            return new EstimatorChain<ITransformer>()
                .Append(TokenizeForOnnx(inputColumnName, used, metadata, length))
                .Append(ApplyOnnx(modelPath, LlmOnnxNames.Probabilities, length))
                .Append(MapProbabilitiesToLabel(metadata.ClassLabels!, LlmOnnxNames.Probabilities))
                .Append(Drop(LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask, LlmOnnxNames.Probabilities));
        }

        // The session that checks the model is the one that scores it: the file is opened once.
        var model = OpenForPipeline(modelPath, LlmOnnxKind.Classifier, nameof(ClassifyWithOnnx), sequenceLength, tokenizer,
            options.IntraOpThreads, options.ExecutionProvider, out int sequence);
        OnnxClassifierSettings settings;
        try
        {
            settings = new OnnxClassifierSettings
            {
                ClassLabels = model.Metadata.ClassLabels!,
                InputColumnName = inputColumnName,
                SequenceLength = sequence,
                BatchSize = options.BatchSize,
                IntraOpThreads = options.IntraOpThreads,
                ExecutionProvider = options.ExecutionProvider,
            };
            settings.Validate();
        }
        catch
        {
            model.Dispose();
            throw;
        }
        if (model.ExecutionProviderFallback is { } fallback)
            Environment.LogInfo("ClassifyWithOnnx", fallback);
        Environment.LogInfo("ClassifyWithOnnx", $"ClassifyWithOnnx '{inputColumnName}' with {modelPath}: {settings.ClassLabels.Count} classes, batches of {options.BatchSize} rows, texts cut to {sequence} tokens.");
        return new EstimatorChain<ITransformer>().Append<ITransformer>(new OnnxClassifierEstimator(OnnxClassifierTransformer.Share(model, settings), settings));
    }

    /// <summary>
    /// Embeds the text column <paramref name="inputColumnName"/> with an embedder exported by MLNetLlm, with ONNX Runtime
    /// (no libtorch): an <see cref="EmbedText(EmbedTextOptions)"/> stage over an <see cref="OnnxSentenceEmbedder"/> of the
    /// file, fed ids and attention mask and reading its pooled <c>embedding</c> output. A text longer than
    /// <paramref name="sequenceLength"/> is read whole, in windows, as <paramref name="longTexts"/> say; a BERT-style
    /// tokenizer's text has tabs and line breaks read as spaces (as the TorchSharp encoder reads them), a GPT's is read
    /// as it is. Saves with <c>mlContext.Model.Llm.Save</c> (the ONNX model is stored inside). Pipelines saved before
    /// windows existed (a Tokenize → ApplyOnnxModel chain) load and run as they were: first window only.
    /// </summary>
    /// <param name="outputColumnName">The vector column: a known-size vector of Single.</param>
    /// <param name="modelPath">The embedder's <c>.onnx</c> file; its tokenizer comes from its metadata.</param>
    /// <param name="inputColumnName">The text column.</param>
    /// <param name="sequenceLength">The window: the most tokens one model run reads of a text. Default: the exported context length.</param>
    /// <param name="tokenizer">The tokenizer; null uses the one stored in the model. A tokenizer with another vocabulary is refused.</param>
    /// <param name="longTexts">How texts longer than the window are read; null is <see cref="LongTextOptions.Default"/>
    /// (windows, length-weighted mean, scaled to length 1 again when the export normalises).</param>
    /// <param name="executionProvider">The ONNX Runtime execution provider (<see cref="OnnxSentenceEmbedderOptions.ExecutionProvider"/>):
    /// <c>"CPU"</c>, <c>"CUDA"</c>, ...; one the app's ONNX Runtime package lacks is logged and the CPU used. Default <c>"CPU"</c>.</param>
    /// <exception cref="ArgumentException">The model is not an embedder, not exported by MLNetLlm, or the tokenizer does not match it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is below 1 or above the exported context, or an option of <paramref name="longTexts"/> is out of range.</exception>
    public EstimatorChain<ITransformer> EmbedTextWithOnnx(string outputColumnName, string modelPath, string inputColumnName = "Text", int? sequenceLength = null,
        LlmTokenizer? tokenizer = null, LongTextOptions? longTexts = null, string executionProvider = "CPU")
    {
        ColumnChecks.RequireName(outputColumnName, nameof(outputColumnName));
        var windows = longTexts ?? LongTextOptions.Default;
        windows.Validate();
        OnnxExecutionProviders.Validate(executionProvider, nameof(executionProvider));
        // The session that checks the model is the one that embeds: the file is opened once.
        var model = OpenForPipeline(modelPath, LlmOnnxKind.Embedder, nameof(EmbedTextWithOnnx), sequenceLength, tokenizer, null, executionProvider, out int length);
        OnnxSentenceEmbedder embedder;
        try
        {
            var fullPath = Path.GetFullPath(modelPath);
            embedder = new OnnxSentenceEmbedder((model.TakeSession(), model.ExecutionProviderFallback), fullPath, model.Tokenizer, new OnnxSentenceEmbedderOptions
            {
                InputIdsName = LlmOnnxNames.InputIds,
                AttentionMaskName = LlmOnnxNames.AttentionMask,
                TokenTypeIdsName = null,
                OutputName = LlmOnnxNames.Embedding,
                Normalize = model.Metadata.Normalized == true,
                MaxTokens = length,
                LineBreaksAsSpaces = TokenFraming.Of(model.Tokenizer).HasFrame,
                ExecutionProvider = executionProvider,
            }, $"ONNX sentence embedder ({Path.GetFileName(fullPath)})");
        }
        finally
        {
            model.Dispose(); // leaves a taken session open
        }
        Environment.LogInfo("EmbedTextWithOnnx", $"EmbedTextWithOnnx '{inputColumnName}' -> '{outputColumnName}' with {modelPath}, windows of {length} tokens ({windows.Pooling}).");
        if (embedder.ExecutionProviderFallback is { } fallback)
            Environment.LogInfo("EmbedTextWithOnnx", fallback);
        var settings = EmbedTextSettings.From(new EmbedTextOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Embedder = embedder,
            LongTexts = windows,
        });
        return new EstimatorChain<ITransformer>().Append<ITransformer>(new EmbedTextEstimator(embedder, settings, new SharedResource<TextEmbedder>(embedder, "EmbedTextWithOnnx")));
    }

    /// <summary>
    /// Maps a vector of class probabilities to ML.NET's multiclass prediction columns: <paramref name="scoreColumnName"/>
    /// (the probabilities, with <paramref name="classLabels"/> as slot names) and <paramref name="predictedLabelColumnName"/>
    /// (a key over <paramref name="classLabels"/>: the most probable class).
    /// </summary>
    /// <param name="classLabels">The labels, in the order of the probabilities.</param>
    /// <param name="inputColumnName">The probabilities: a known-size vector of Single, one per label.</param>
    /// <param name="scoreColumnName">The score column to add.</param>
    /// <param name="predictedLabelColumnName">The predicted label column to add.</param>
    public ProbabilitiesToLabelEstimator MapProbabilitiesToLabel(IReadOnlyList<string> classLabels, string inputColumnName = LlmOnnxNames.Probabilities,
        string scoreColumnName = "Score", string predictedLabelColumnName = "PredictedLabel") =>
        new(ProbabilitiesToLabelSettings.From(classLabels, inputColumnName, scoreColumnName, predictedLabelColumnName));

    // Opens the model and checks its kind and the sequence length; the caller owns the model (its session) and disposes it.
    private static LlmOnnxModel OpenForPipeline(string modelPath, LlmOnnxKind kind, string usedBy, int? sequenceLength, LlmTokenizer? tokenizer,
        int? intraOpThreads, string executionProvider, out int length)
    {
        var model = LlmOnnxModel.Open(modelPath, tokenizer, intraOpThreads, executionProvider);
        try
        {
            model.RequireKind(kind, usedBy);
            int context = model.Metadata.ContextLength;
            length = sequenceLength ?? context;
            if (length < 1 || length > context)
                throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength,
                    $"sequenceLength must be between 1 and the exported context length {context}: the model cannot read longer sequences.");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private TokenizeEstimator TokenizeForOnnx(string inputColumnName, LlmTokenizer tokenizer, LlmOnnxMetadata metadata, int length) =>
        Tokenize(new TokenizeOptions
        {
            Tokenizer = tokenizer,
            InputColumnName = inputColumnName,
            OutputColumnName = LlmOnnxNames.InputIds,
            AttentionMaskColumnName = LlmOnnxNames.AttentionMask,
            PadToLength = length,
            PaddingId = metadata.PaddingId,
            EmptyTextId = tokenizer.EndOfTextId ?? 0, // an empty text as the classifiers read it (TokenBatch.ClassifierEmptyText)
        });

    // ApplyOnnxModel takes columns named as the graph's inputs; the batch and sequence axes are symbolic in the export,
    // so the shape dictionary pins them to one row of the padded length.
    private OnnxScoringEstimator ApplyOnnx(string modelPath, string output, int length) =>
        Transforms().ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = modelPath,
            InputColumns = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask],
            OutputColumns = [output],
            ShapeDictionary = new Dictionary<string, int[]>
            {
                [LlmOnnxNames.InputIds] = [1, length],
                [LlmOnnxNames.AttentionMask] = [1, length],
            },
        });

    private IEstimator<ITransformer> Drop(params string[] columns) => Transforms().DropColumns(columns);

    private TransformsCatalog Transforms() => MLNetTransforms
        ?? throw new InvalidOperationException("Reach this catalog as mlContext.Transforms.Llm to build ONNX scoring pipelines.");
}

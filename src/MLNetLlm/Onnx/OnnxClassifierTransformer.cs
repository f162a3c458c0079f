using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Onnx.OnnxClassifierTransformer.Loader))]

namespace MLNetLlm.Onnx;

/// <summary>
/// Scores a text column with a classifier exported by MLNetLlm, with ONNX Runtime, a batch of rows per call: texts
/// encoded as the TorchSharp classifier encodes them, grouped by length, each group padded to its longest row, outputs
/// written back in row order. Adds <c>Score</c> (the class probabilities, labels as slot names) and
/// <c>PredictedLabel</c> (a key over the labels), as <c>MapProbabilitiesToLabel</c> does. Made by
/// <c>mlContext.Transforms.Llm.ClassifyWithOnnx</c>.
/// </summary>
/// <remarks>
/// One ONNX Runtime session per transformer, shared by every cursor. Padding never changes a score (it is masked).
/// Empty and missing texts are scored as the TorchSharp classifier scores them: a WordPiece tokenizer's <c>[CLS] [SEP]</c>,
/// else the end-of-text token alone. Works with <c>CreatePredictionEngine</c> (one row per call). Save it with
/// <c>mlContext.Model.Llm.Save</c> (the ONNX model and tokenizer are stored inside). The view reads its input twice side by
/// side (see <see cref="BatchedDataView{TInput,TBatch}"/>), so the input must give the same rows on every cursor.
/// </remarks>
public sealed class OnnxClassifierTransformer : ColumnMappingTransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.OnnxClassifier";
    internal const string Component = "ClassifyWithOnnx";
    private const string SettingsFile = "onnx-classifier.json";
    private const string ModelFile = "model.onnx";
    private const string TokenizerFolder = "tokenizer";

    private readonly OnnxClassifierSettings _settings;
    private readonly OnnxClassifierScorer _scorer;
    private readonly string _modelPath;

    internal OnnxClassifierTransformer(string modelPath, LlmTokenizer tokenizer, int? paddingId, OnnxClassifierSettings settings)
    {
        _modelPath = modelPath;
        _settings = settings;
        _scorer = new OnnxClassifierScorer(modelPath, tokenizer, settings.ClassLabels.Count, settings.SequenceLength, paddingId,
            settings.IntraOpThreads, settings.ExecutionProvider);
    }

    /// <summary>The class labels, in the order of the probabilities.</summary>
    public IReadOnlyList<string> ClassLabels => _settings.ClassLabels;

    /// <summary>Rows scored per batch.</summary>
    public int BatchSize => _settings.BatchSize;

    /// <summary>The most tokens a text keeps.</summary>
    public int SequenceLength => _settings.SequenceLength;

    /// <summary>The execution provider asked for.</summary>
    public string ExecutionProvider => _settings.ExecutionProvider;

    /// <summary>Null when <see cref="ExecutionProvider"/> is used; else the message saying why the CPU scores instead.</summary>
    public string? ExecutionProviderFallback => _scorer.ProviderFallback;

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        if (!File.Exists(_modelPath))
            throw new InvalidOperationException($"Cannot save {Component}: its model file '{_modelPath}' no longer exists.");
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        File.Copy(_modelPath, Path.Combine(directory, ModelFile));
        _scorer.Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new OnnxClassifierMapper(inputSchema, _scorer, _settings);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => OnnxClassifierTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<OnnxClassifierSettings>(Path.Combine(directory, SettingsFile));
            try
            {
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{SettingsFile} holds invalid settings: {e.Message}", e);
            }
            var model = Path.Combine(directory, ModelFile);
            if (!File.Exists(model))
                throw new InvalidDataException($"The saved {Component} stage is incomplete: {ModelFile} is missing.");
            var tokenizer = LlmTokenizers.Load(Path.Combine(directory, TokenizerFolder));
            // The directory is deleted after loading: the model is kept where a later save can copy it from.
            var kept = OnnxSentenceEmbedder.KeepModelFile(model);
            using var onnx = LlmOnnxModel.Open(kept, tokenizer, intraOpThreads: 1);
            onnx.RequireKind(LlmOnnxKind.Classifier, Component);
            if (!onnx.Metadata.ClassLabels!.SequenceEqual(settings.ClassLabels))
                throw new InvalidDataException($"The saved {Component} stage lists labels {string.Join(", ", settings.ClassLabels)}, its model {string.Join(", ", onnx.Metadata.ClassLabels!)}.");
            var transformer = new OnnxClassifierTransformer(kept, onnx.Tokenizer, onnx.Metadata.PaddingId, settings);
            if (transformer.ExecutionProviderFallback is { } fallback)
                environment.LogInfo(Component, fallback);
            return transformer;
        }
    }
}

/// <summary>
/// The estimator of the batched <c>mlContext.Transforms.Llm.ClassifyWithOnnx</c>: nothing to learn, <see cref="Fit"/>
/// checks the text column and returns the <see cref="OnnxClassifierTransformer"/>.
/// </summary>
public sealed class OnnxClassifierEstimator : IEstimator<OnnxClassifierTransformer>
{
    private readonly OnnxClassifierTransformer _transformer;
    private readonly OnnxClassifierSettings _settings;

    internal OnnxClassifierEstimator(OnnxClassifierTransformer transformer, OnnxClassifierSettings settings)
    {
        _transformer = transformer;
        _settings = settings;
    }

    /// <inheritdoc/>
    public OnnxClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.RequireText(input.Schema, _settings.InputColumnName, OnnxClassifierTransformer.Component);
        return _transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _settings.InputColumnName, OnnxClassifierTransformer.Component);
        return SchemaShapes.WithAdded(inputSchema, ProbabilitiesToLabelMapper.OutputColumns(_settings.Labels()));
    }
}

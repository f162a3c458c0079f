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
/// One ONNX Runtime session per model, opened once and shared by every cursor and by every transformer fitted from the
/// same estimator; each cursor reuses its own pinned buffers, so steady-state scoring allocates nothing per row beyond
/// the tokenizer's ids. <see cref="Dispose"/> releases the session once the last transformer sharing it is disposed and
/// no batch is running; scoring after that throws <see cref="ObjectDisposedException"/>. Padding never changes a score
/// (it is masked). Empty and missing texts are scored as the TorchSharp classifier scores them: a WordPiece tokenizer's
/// <c>[CLS] [SEP]</c>, else the end-of-text token alone. Works with <c>CreatePredictionEngine</c> (one row per call).
/// Save it with <c>mlContext.Model.Llm.Save</c> (the ONNX model and tokenizer are stored inside). The view reads its
/// input twice side by side (see <see cref="BatchedDataView{TInput,TBatch}"/>), so the input must give the same rows on
/// every cursor.
/// </remarks>
public sealed class OnnxClassifierTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.OnnxClassifier";
    internal const string Component = "ClassifyWithOnnx";
    private const string SettingsFile = "onnx-classifier.json";
    private const string ModelFile = "model.onnx";
    private const string TokenizerFolder = "tokenizer";

    private readonly OnnxClassifierSettings _settings;
    private readonly SharedResource<OnnxClassifierScorer> _scorer;
    private readonly OnnxClassifierScorer _scorerInfo; // what it was opened with, readable after disposal
    private int _disposed;

    // scorer: the shared session; this transformer claims one hold of it, given back by Dispose.
    internal OnnxClassifierTransformer(SharedResource<OnnxClassifierScorer> scorer, OnnxClassifierSettings settings)
    {
        _settings = settings;
        _scorerInfo = scorer.Claim();
        _scorer = scorer;
    }

    /// <summary>Opens the session every transformer of one estimator shares: <paramref name="model"/> (opened once, now owned by it).</summary>
    internal static SharedResource<OnnxClassifierScorer> Share(LlmOnnxModel model, OnnxClassifierSettings settings) =>
        new(new OnnxClassifierScorer(model, settings.ClassLabels.Count, settings.SequenceLength), Component);

    /// <summary>The class labels, in the order of the probabilities.</summary>
    public IReadOnlyList<string> ClassLabels => _settings.ClassLabels;

    /// <summary>Rows scored per batch.</summary>
    public int BatchSize => _settings.BatchSize;

    /// <summary>The most tokens a text keeps.</summary>
    public int SequenceLength => _settings.SequenceLength;

    /// <summary>The execution provider asked for.</summary>
    public string ExecutionProvider => _settings.ExecutionProvider;

    /// <summary>Null when <see cref="ExecutionProvider"/> is used; else the message saying why the CPU scores instead.</summary>
    public string? ExecutionProviderFallback => _scorerInfo.ProviderFallback;

    /// <summary>
    /// Gives back this transformer's hold on the ONNX Runtime session; the session is released when every transformer
    /// fitted from the same estimator (and every batch running) has let go of it. A <c>TransformerChain</c> disposes it
    /// with itself.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _scorer.Release();
    }

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        var modelPath = _scorerInfo.ModelPath;
        if (!File.Exists(modelPath))
            throw new InvalidOperationException($"Cannot save {Component}: its model file '{modelPath}' no longer exists.");
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        File.Copy(modelPath, Path.Combine(directory, ModelFile));
        _scorerInfo.Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
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
            var onnx = LlmOnnxModel.Open(kept, tokenizer, settings.IntraOpThreads, settings.ExecutionProvider); // the one session it scores with
            try
            {
                onnx.RequireKind(LlmOnnxKind.Classifier, Component);
                if (!onnx.Metadata.ClassLabels!.SequenceEqual(settings.ClassLabels))
                    throw new InvalidDataException($"The saved {Component} stage lists labels {string.Join(", ", settings.ClassLabels)}, its model {string.Join(", ", onnx.Metadata.ClassLabels!)}.");
            }
            catch
            {
                onnx.Dispose();
                throw;
            }
            if (onnx.ExecutionProviderFallback is { } fallback)
                environment.LogInfo(Component, fallback);
            return new OnnxClassifierTransformer(Share(onnx, settings), settings);
        }
    }
}

/// <summary>
/// The estimator of the batched <c>mlContext.Transforms.Llm.ClassifyWithOnnx</c>: nothing to learn, <see cref="Fit"/>
/// checks the text column and returns an <see cref="OnnxClassifierTransformer"/> over the session the estimator opened
/// (every transformer it fits shares that one session).
/// </summary>
public sealed class OnnxClassifierEstimator : IEstimator<OnnxClassifierTransformer>
{
    private readonly SharedResource<OnnxClassifierScorer> _scorer;
    private readonly OnnxClassifierSettings _settings;

    internal OnnxClassifierEstimator(SharedResource<OnnxClassifierScorer> scorer, OnnxClassifierSettings settings)
    {
        _scorer = scorer;
        _settings = settings;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">Every transformer this estimator fitted was disposed, which released its session.</exception>
    public OnnxClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ColumnChecks.RequireText(input.Schema, _settings.InputColumnName, OnnxClassifierTransformer.Component);
        return new OnnxClassifierTransformer(_scorer, _settings);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _settings.InputColumnName, OnnxClassifierTransformer.Component);
        return SchemaShapes.WithAdded(inputSchema, ProbabilitiesToLabelMapper.OutputColumns(_settings.Labels()));
    }
}

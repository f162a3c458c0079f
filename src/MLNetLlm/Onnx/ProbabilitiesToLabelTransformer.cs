using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Onnx.ProbabilitiesToLabelTransformer.Loader))]

namespace MLNetLlm.Onnx;

/// <summary>
/// Turns a vector of class probabilities (an exported classifier's <c>probabilities</c> output, as
/// <c>ApplyOnnxModel</c> adds it) into ML.NET's multiclass prediction columns: <c>Score</c>, the probabilities with the
/// class labels as slot names, and <c>PredictedLabel</c>, a key over the class labels (its <c>KeyValues</c>), so
/// <c>MulticlassClassification.Evaluate</c> and <c>MapKeyToValue</c> work on the output.
/// </summary>
/// <remarks>
/// Input: a known-size vector of Single, one value per class label. The predicted label is the most probable class (the
/// first among equals); a row whose values are all NaN gets the missing key 0. Works with <c>CreatePredictionEngine</c>.
/// Save it with <c>mlContext.Model.Llm.Save</c>. Made by <c>mlContext.Transforms.Llm.MapProbabilitiesToLabel</c>.
/// </remarks>
public sealed class ProbabilitiesToLabelTransformer : ColumnMappingTransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.ProbabilitiesToLabel";
    private const string SettingsFile = "labels.json";

    private readonly ProbabilitiesToLabelSettings _settings;

    internal ProbabilitiesToLabelTransformer(ProbabilitiesToLabelSettings settings) => _settings = settings;

    /// <summary>The class labels, in the order of the probabilities.</summary>
    public IReadOnlyList<string> ClassLabels => _settings.ClassLabels;

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory) =>
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new ProbabilitiesToLabelMapper(inputSchema, _settings);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        /// <inheritdoc/>
        public string Kind => ProbabilitiesToLabelTransformer.Kind;

        /// <inheritdoc/>
        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var saved = PersistenceJson.Read<ProbabilitiesToLabelSettings>(Path.Combine(directory, SettingsFile));
            try
            {
                return new ProbabilitiesToLabelTransformer(ProbabilitiesToLabelSettings.From(saved.ClassLabels ?? [], saved.InputColumnName,
                    saved.ScoreColumnName, saved.PredictedLabelColumnName));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The saved MapProbabilitiesToLabel settings are invalid: {e.Message}", e);
            }
        }
    }
}

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.MapProbabilitiesToLabel</c>: nothing to learn, <see cref="Fit"/> checks
/// the input column and returns the <see cref="ProbabilitiesToLabelTransformer"/>.
/// </summary>
public sealed class ProbabilitiesToLabelEstimator : IEstimator<ProbabilitiesToLabelTransformer>
{
    private readonly ProbabilitiesToLabelSettings _settings;

    internal ProbabilitiesToLabelEstimator(ProbabilitiesToLabelSettings settings) => _settings = settings;

    /// <inheritdoc/>
    public ProbabilitiesToLabelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new ProbabilitiesToLabelTransformer(_settings);
        transformer.GetOutputSchema(input.Schema); // checks the column now rather than on the first row
        return transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var name = _settings.InputColumnName;
        var column = inputSchema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"MapProbabilitiesToLabel: the input schema has no column '{name}'.");
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"MapProbabilitiesToLabel: column '{name}' must be a known-size vector of Single (one probability per class label).");
        return SchemaShapes.WithAdded(inputSchema, ProbabilitiesToLabelMapper.OutputColumns(_settings));
    }
}

using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML.Runtime;

namespace MLNetLlm.TorchSharp;

/// <summary>The MLNetLlm multiclass trainers, reached as <c>mlContext.MulticlassClassification.Trainers.Llm</c>.</summary>
public sealed class LlmMulticlassClassificationTrainers
{
    internal LlmMulticlassClassificationTrainers(IHostEnvironment environment) => Environment = environment;

    internal IHostEnvironment Environment { get; }

    /// <summary>
    /// Fine-tunes a GPT into a text classifier of the key-typed label (as <c>MapValueToKey</c> makes): a head of one
    /// output per key value replaces the language-model head, and the last block, the final norm and the head train
    /// (see <see cref="ClassifierTrainingOptions"/> for the other choices, LoRA among them). The fitted transformer
    /// adds <c>Score</c> (class probabilities) and <c>PredictedLabel</c> (a key), which
    /// <c>mlContext.MulticlassClassification.Evaluate</c> and <c>MapKeyToValue</c> read as they are.
    /// </summary>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="textColumnName">The text column, tokenized with the base model's tokenizer.</param>
    /// <param name="baseModelPath">One of our checkpoints or a Hugging Face GPT-2 folder; null for the shipped model.</param>
    /// <param name="parameters">Which parameters train.</param>
    /// <param name="maxEpochs">Passes over the training rows.</param>
    /// <param name="batchSize">Texts per batch.</param>
    /// <param name="learningRate">Peak learning rate (after warmup; cosine decay to a tenth).</param>
    /// <param name="validationSet">Rows for the validation loss (the best weights are kept); null for none.</param>
    /// <example><code>
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneGpt("Label", "Text", maxEpochs: 3))
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    /// var model = pipeline.Fit(train);
    /// var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    /// </code></example>
    public FineTuneClassifierEstimator FineTuneGpt(string labelColumnName = "Label", string textColumnName = "Text", string? baseModelPath = null,
        FineTuneParameters parameters = FineTuneParameters.LastBlocks, int maxEpochs = 5, int batchSize = 8, double learningRate = 1e-4,
        Microsoft.ML.IDataView? validationSet = null) =>
        FineTuneGpt(FineTuneFlatArguments.Gpt(labelColumnName, textColumnName, baseModelPath, parameters, maxEpochs, batchSize, learningRate, validationSet));

    /// <summary>Fine-tunes a GPT into a multiclass text classifier as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public FineTuneClassifierEstimator FineTuneGpt(FineTuneGptOptions options) => new(Environment, options, binary: false, () => FineTuneGptBaseModel.Load(options));

    /// <summary>
    /// Fine-tunes a pretrained BERT-family encoder (all-MiniLM-L6-v2 by default, from MLNetLlm.Models; any Hugging Face
    /// BERT folder or sentence-transformers ONNX file) into a multiclass text classifier: a linear head on the mean of the
    /// real tokens' states, and every parameter trains (see <see cref="ClassifierTrainingOptions"/> for the other
    /// choices, LoRA among them). Texts keep their first word pieces up to the length the encoder was trained at (256
    /// for MiniLM). The fitted transformer adds the same columns as <c>FineTuneGpt</c>'s, which ML.NET's evaluators read
    /// as they are, saves with <c>mlContext.Model.Llm.Save</c> and exports to ONNX.
    /// </summary>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="textColumnName">The text column, tokenized with the encoder's WordPiece vocabulary.</param>
    /// <param name="baseModelPath">A Hugging Face BERT folder or an ONNX file with vocab.txt beside it; null for all-MiniLM-L6-v2.</param>
    /// <param name="parameters">Which parameters train.</param>
    /// <param name="maxEpochs">Passes over the training rows.</param>
    /// <param name="batchSize">Texts per batch.</param>
    /// <param name="learningRate">Peak learning rate (after warmup; cosine decay to a tenth).</param>
    /// <param name="validationSet">Rows for the validation loss (the best weights are kept); null for none.</param>
    /// <example><code>
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder("Label", "Text"))
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    /// var model = pipeline.Fit(train);
    /// var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    /// </code></example>
    public FineTuneClassifierEstimator FineTuneEncoder(string labelColumnName = "Label", string textColumnName = "Text", string? baseModelPath = null,
        FineTuneParameters parameters = FineTuneParameters.All, int maxEpochs = 2, int batchSize = 16, double learningRate = 5e-5,
        Microsoft.ML.IDataView? validationSet = null) =>
        FineTuneEncoder(FineTuneFlatArguments.Encoder(labelColumnName, textColumnName, baseModelPath, parameters, maxEpochs, batchSize, learningRate, validationSet));

    /// <summary>Fine-tunes a pretrained encoder into a multiclass text classifier as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public FineTuneClassifierEstimator FineTuneEncoder(FineTuneEncoderOptions options) => new(Environment, options, binary: false, () => FineTuneEncoderBaseModel.Load(options));
}

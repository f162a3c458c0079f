using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// The instruction entry points on <c>mlContext.Transforms.Llm</c>: <c>FineTuneInstructions</c> teaches a GPT to answer
/// instructions (the reference book's chapter 7), <c>TunePreferences</c> then aligns it with preference pairs (DPO).
/// </summary>
public static class LlmTransformsCatalogInstructions
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Instruction-tunes a GPT (the shipped model unless <paramref name="baseModelPath"/> is given) on the
        /// <c>Instruction</c>, <c>Input</c> and <c>Output</c> columns (as <c>mlContext.Data.Llm.LoadInstructions</c>
        /// reads them), rendered through <paramref name="template"/>, with LoRA adapters and the prompt masked from the loss.
        /// </summary>
        /// <param name="baseModelPath">A GPT folder; null for the shipped model.</param>
        /// <param name="template">The prompt format; null for <see cref="PromptTemplates.Alpaca"/>.</param>
        /// <param name="maxEpochs">Passes over the examples.</param>
        /// <param name="batchSize">Examples per batch.</param>
        /// <param name="learningRate">Peak learning rate.</param>
        /// <example><code>
        /// var tuned = ml.Transforms.Llm.FineTuneInstructions().Fit(ml.Data.Llm.LoadInstructions("instructions.json"));
        /// Console.WriteLine(tuned.Answer("Give a synonym of the word.", "happy"));
        /// </code></example>
        public InstructionTuningEstimator FineTuneInstructions(string? baseModelPath = null, PromptTemplate? template = null,
            int maxEpochs = 1, int batchSize = 8, double learningRate = 1e-3) =>
            catalog.FineTuneInstructions(new InstructionTuningOptions
            {
                BaseModelPath = baseModelPath,
                Template = template ?? PromptTemplates.Alpaca,
                MaxEpochs = maxEpochs,
                BatchSize = batchSize,
                LearningRate = learningRate,
                MinLearningRate = learningRate / 10,
            });

        /// <summary>Instruction-tunes a GPT as <paramref name="options"/> say.</summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public InstructionTuningEstimator FineTuneInstructions(InstructionTuningOptions options) => new(catalog.Environment, options);

        /// <summary>Instruction-tunes a GPT as <paramref name="options"/> say, reporting every optimizer step to <paramref name="progress"/>.</summary>
        /// <param name="options">The settings.</param>
        /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every optimizer step, on the training thread.</param>
        /// <param name="cancellationToken">Stops training: <c>Fit</c> throws <see cref="OperationCanceledException"/> (a checkpoint is kept when a checkpoint folder is set).</param>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public InstructionTuningEstimator FineTuneInstructions(InstructionTuningOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken = default) =>
            new(catalog.Environment, options) { Progress = progress, CancellationToken = cancellationToken };
    
        /// <summary>
        /// Aligns an instruction-tuned model with preference pairs by DPO (the reference book's bonus notebook): the
        /// <c>Instruction</c>, <c>Input</c>, <c>Chosen</c> and <c>Rejected</c> columns, β = 0.1, LoRA.
        /// </summary>
        /// <param name="instructionModel">The instruction-tuned model: the policy starts as a copy, the reference is it.</param>
        /// <param name="options">The settings; null for the defaults.</param>
        public PreferenceTuningEstimator TunePreferences(InstructionTransformer instructionModel, PreferenceTuningOptions? options = null) =>
            new(catalog.Environment, instructionModel, options ?? new PreferenceTuningOptions());

        /// <summary>Aligns <paramref name="instructionModel"/> by DPO as <paramref name="options"/> say, reporting every optimizer step to <paramref name="progress"/>.</summary>
        /// <param name="instructionModel">The instruction-tuned model: the policy starts as a copy, the reference is it.</param>
        /// <param name="options">The settings.</param>
        /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every optimizer step, on the training thread.</param>
        public PreferenceTuningEstimator TunePreferences(InstructionTransformer instructionModel, PreferenceTuningOptions options, IProgress<TrainingProgress>? progress) =>
            new(catalog.Environment, instructionModel, options) { Progress = progress };
    }
}

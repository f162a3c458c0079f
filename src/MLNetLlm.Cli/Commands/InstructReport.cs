using System.Text.Json;
using MLNetLlm.Cli.Output;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.Training;

namespace MLNetLlm.Cli.Commands;

/// <summary>What <c>instruct</c> writes beside the model: <c>report.json</c>, <c>history.csv</c>, <c>loss.png</c>.</summary>
internal static class InstructReport
{
    public static void Write(StagedOutput output, string source, InstructionTuningOptions options, InstructionTuningReport report, IReadOnlyList<string> commandLine)
    {
        report.History.WriteCsv(output.File("history.csv"));
        report.History.LossCurve.SavePlot(output.File("loss.png"));
        var json = new
        {
            command = "instruct",
            data = source,
            baseModel = options.BaseModelPath,
            template = options.Template.Name,
            parameters = options.Parameters.ToString(),
            loraRank = options.Parameters == InstructionParameters.LoRA ? options.LoraRank : (int?)null,
            learningRate = options.LearningRate,
            batchSize = options.BatchSize,
            trainingExamples = report.TrainingExamples,
            truncatedFromThePromptSide = report.Truncated,
            skippedAsTooLong = report.Skipped,
            validationResponseLossBefore = report.ValidationLossBefore,
            validationResponseLossAfter = report.ValidationLossAfter,
            trainedParameters = report.TrainedParameters,
            steps = report.History.Records.Count == 0 ? 0 : report.History.Records[^1].Step,
            tokensSeen = report.History.Records.Count == 0 ? 0 : report.History.Records[^1].TokensSeen,
            elapsedSeconds = report.Elapsed.TotalSeconds,
            commandLine,
        };
        File.WriteAllText(output.File("report.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }
}

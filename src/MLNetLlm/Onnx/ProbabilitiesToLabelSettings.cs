using MLNetLlm.Kit;

namespace MLNetLlm.Onnx;

/// <summary>What the MapProbabilitiesToLabel transform reads and writes, as it runs and saves.</summary>
internal sealed record ProbabilitiesToLabelSettings
{
    public required IReadOnlyList<string> ClassLabels { get; init; }
    public required string InputColumnName { get; init; }
    public required string ScoreColumnName { get; init; }
    public required string PredictedLabelColumnName { get; init; }

    public static ProbabilitiesToLabelSettings From(IReadOnlyList<string> classLabels, string inputColumnName, string scoreColumnName, string predictedLabelColumnName)
    {
        ArgumentNullException.ThrowIfNull(classLabels);
        if (classLabels.Count == 0)
            throw new ArgumentException("Give at least one class label.", nameof(classLabels));
        if (classLabels.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Class labels must be non-empty.", nameof(classLabels));
        if (classLabels.Distinct(StringComparer.Ordinal).Count() != classLabels.Count)
            throw new ArgumentException($"Class labels must be distinct: {string.Join(", ", classLabels)}.", nameof(classLabels));
        Kit.ColumnChecks.RequireName(inputColumnName, nameof(inputColumnName));
        Kit.ColumnChecks.RequireName(scoreColumnName, nameof(scoreColumnName));
        Kit.ColumnChecks.RequireName(predictedLabelColumnName, nameof(predictedLabelColumnName));
        if (scoreColumnName == predictedLabelColumnName)
            throw new ArgumentException($"The score and predicted label columns need different names, not both '{scoreColumnName}'.", nameof(predictedLabelColumnName));
        return new ProbabilitiesToLabelSettings
        {
            ClassLabels = [.. classLabels],
            InputColumnName = inputColumnName,
            ScoreColumnName = scoreColumnName,
            PredictedLabelColumnName = predictedLabelColumnName,
        };
    }
}

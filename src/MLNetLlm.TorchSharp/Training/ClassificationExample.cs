namespace MLNetLlm.TorchSharp.Training;

/// <summary>One text to classify, as token ids, with its class.</summary>
/// <param name="TokenIds">The text's token ids, at least one; only the first <see cref="ClassifierTrainingOptions.MaxSequenceLength"/>
/// (by default the model's context length) are read.</param>
/// <param name="Label">The class, in [0, class count).</param>
public sealed record ClassificationExample(int[] TokenIds, int Label);

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Settings of GPT pretraining with <see cref="GptTrainer"/>: next-token cross-entropy on windows of token ids, with
/// the shared optimisation settings of <see cref="TrainingOptions"/> and their documented defaults (nanoGPT's
/// GPT-2 recipe: AdamW β = (0.9, 0.95), weight decay 0.1, peak learning rate 6e-4 decaying to 6e-5, clipping at 1).
/// </summary>
public sealed record GptTrainingOptions : TrainingOptions;

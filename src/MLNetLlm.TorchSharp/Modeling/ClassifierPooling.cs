namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>How a classifier turns the GPT's token states into one vector per text.</summary>
public enum ClassifierPooling
{
    /// <summary>The state of the last real token, the only one that has seen the whole text (the reference book's choice).</summary>
    LastToken,

    /// <summary>The mean of the states of the real tokens.</summary>
    Mean,
}

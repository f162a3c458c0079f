namespace MLNetLlm.Prompting;

/// <summary>Who speaks in a <see cref="ChatTurn"/>.</summary>
public enum ChatTurnRole
{
    /// <summary>Instructions that frame the whole conversation; only the first turn may be a system turn.</summary>
    System,

    /// <summary>The person asking.</summary>
    User,

    /// <summary>The model answering: its text is what a fine-tuning loss trains on.</summary>
    Assistant,
}

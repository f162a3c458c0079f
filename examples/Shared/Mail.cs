using Microsoft.ML.Data;

/// <summary>One SpamAssassin mail as every model of the mail examples reads it.</summary>
internal sealed class Mail
{
    /// <summary>The corpus id, <c>group/file</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The corpus group: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c> or <c>spam-2</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The decoded body (after the subject line with SpamClassifier's <c>--subject</c>), cut at the example's character limit; see SpamClassifier's README for how the body is made.</summary>
    public string Text { get; set; } = "";

    /// <summary>True for spam.</summary>
    public bool Label { get; set; }

    /// <summary>Ham that looks like spam: the corpus's <c>hard-ham-1</c> group.</summary>
    [NoColumn]
    public bool IsHardHam => Source == "hard-ham-1";
}

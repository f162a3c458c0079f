namespace MLNetLlm.Datasets;

/// <summary>
/// One mail of the SpamAssassin public corpus, a row of <c>mlContext.Data.Llm.LoadSpamAssassin()</c>.
/// </summary>
public sealed class SpamAssassinMail
{
    /// <summary>The group and the file name without extension, e.g. <c>easy-ham-1/00001.7c53336b37003a9286aba55d2945844c</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// The corpus group (folder) the mail comes from: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>
    /// (ham that looks like spam), <c>spam-1</c> or <c>spam-2</c>; <c>-2</c> groups were collected later.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>True for spam (groups <c>spam-*</c>), false for ham.</summary>
    public bool Label { get; set; }

    /// <summary>The decoded <c>Subject</c> header; empty when there is none.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The decoded body text, headers dropped (see <c>LoadSpamAssassin</c> for how parts are chosen).</summary>
    public string Text { get; set; } = "";
}

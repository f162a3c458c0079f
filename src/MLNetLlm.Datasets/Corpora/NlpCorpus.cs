using System.Text.Json;

namespace MLNetLlm.Datasets;

/// <summary>Reads the extracted <c>nlp-corpus</c> package: <c>builds/doc-&lt;n&gt;.json</c>, each a JSON array of sentences.</summary>
internal static class NlpCorpus
{
    /// <summary>The document files in numeric order (<c>doc-0</c>, <c>doc-1</c>, ..., <c>doc-99</c>), listed eagerly.</summary>
    public static IReadOnlyList<(string Document, string Path)> ListDocuments(string packageDirectory)
    {
        var folder = Path.Combine(packageDirectory, "builds");
        if (!Directory.Exists(folder))
            throw new InvalidDataException($"The nlp-corpus package in {packageDirectory} has no folder builds.");
        var documents = new List<(int Number, string Document, string Path)>();
        foreach (var path in Directory.GetFiles(folder, "doc-*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (int.TryParse(name.AsSpan("doc-".Length), out var number))
                documents.Add((number, name, path));
        }
        if (documents.Count == 0)
            throw new InvalidDataException($"The nlp-corpus package in {packageDirectory} has no builds/doc-<n>.json files.");
        return documents.OrderBy(d => d.Number).Select(d => (d.Document, d.Path)).ToList();
    }

    /// <summary>The sentences, document by document; each document is read when the enumeration reaches it.</summary>
    public static IEnumerable<NlpCorpusSentence> ReadSentences(IReadOnlyList<(string Document, string Path)> documents)
    {
        foreach (var (document, path) in documents)
        {
            string[] sentences;
            using (var stream = File.OpenRead(path))
                sentences = JsonSerializer.Deserialize<string[]>(stream)
                    ?? throw new InvalidDataException($"{path} holds null, not an array of sentences.");
            foreach (var sentence in sentences)
                yield return new NlpCorpusSentence { Document = document, Text = sentence ?? "" };
        }
    }
}

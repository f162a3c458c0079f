using System.Text;
using MLNetLlm.Persistence;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Writes and reads a <see cref="WordVectors"/> table as two files: <c>words.txt</c> (one word a line, in row order) and
/// <c>vectors.safetensors</c> (one F32 tensor <c>vectors</c> of shape (words, dimension)), through the library's one
/// safetensors writer and reader.
/// </summary>
internal static class WordVectorsFile
{
    public const string WordsFile = "words.txt";
    public const string VectorsFile = "vectors.safetensors";
    private const string TensorName = "vectors";

    public static void Save(WordVectors table, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, WordsFile), table.Words, new UTF8Encoding(false));
        SafetensorsWriter.Write(Path.Combine(directory, VectorsFile),
            [SafetensorsEntry.FromSingles(TensorName, table.AllVectors.ToArray(), [table.Count, table.Dimension])]);
    }

    /// <exception cref="InvalidDataException">A file is missing, malformed, or the two files disagree.</exception>
    public static WordVectors Load(string directory)
    {
        var wordsPath = Path.Combine(directory, WordsFile);
        var vectorsPath = Path.Combine(directory, VectorsFile);
        if (!File.Exists(wordsPath) || !File.Exists(vectorsPath))
            throw new InvalidDataException($"The saved word vectors are incomplete: {WordsFile} and {VectorsFile} are both needed.");
        var words = File.ReadAllLines(wordsPath, Encoding.UTF8);
        using var reader = SafetensorsReader.Open(vectorsPath);
        if (!reader.TryGetTensor(TensorName, out var tensor))
            throw Corrupt($"it has no tensor '{TensorName}'");
        if (tensor.DType != SafetensorsDType.F32 || tensor.Shape.Count != 2 || tensor.Shape[1] < 1)
            throw Corrupt($"'{TensorName}' is {tensor.DType} {tensor.ShapeText}, not a (words, dimension) F32 matrix");
        if (tensor.Shape[0] != words.Length)
            throw Corrupt($"it holds {tensor.Shape[0]} vectors but {WordsFile} has {words.Length} words");
        var vectors = new float[tensor.ElementCount];
        SafetensorsFloats.ToSingle(reader.GetBytes(tensor), tensor.DType, vectors);
        try
        {
            return WordVectors.Create(words, vectors, (int)tensor.Shape[1]);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved word vectors are invalid: {e.Message}", e);
        }
    }

    private static InvalidDataException Corrupt(string why) => new($"{VectorsFile} is corrupt: {why}.");
}

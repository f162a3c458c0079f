using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Tests.Embeddings;

[assembly: LlmLoader(typeof(LetterCountEmbedder.Loader))]

namespace MLNetLlm.Tests.Embeddings;

/// <summary>
/// A second embedding backend, as another assembly would plug one in: the count of each letter a..z, with NaN for a
/// text containing "nan" (to test bad vectors). Saved and loaded through its own declared loader.
/// </summary>
public sealed class LetterCountEmbedder : TextEmbedder
{
    public int Calls { get; private set; }
    public List<int> BatchSizes { get; } = [];

    /// <summary>The long-text options of the last call (letter counts read every text whole anyway).</summary>
    public LongTextOptions? LastLongTexts { get; private set; }

    public override int Dimension => 26;
    public override string Name => "letter counts";
    public override string PersistenceKind => "Tests.LetterCount";

    public override void SaveTo(string directory) => File.WriteAllText(Path.Combine(directory, "letters.txt"), "a-z");

    protected override float[][] EmbedCore(IReadOnlyList<string?> texts, LongTextOptions longTexts)
    {
        LastLongTexts = longTexts;
        return EmbedCore(texts);
    }

    protected override float[][] EmbedCore(IReadOnlyList<string?> texts)
    {
        lock (BatchSizes)
        {
            Calls++;
            BatchSizes.Add(texts.Count);
        }
        return texts.Select(Count).ToArray();
    }

    private static float[] Count(string? text)
    {
        var vector = new float[26];
        foreach (char c in (text ?? "").ToLowerInvariant())
            if (c is >= 'a' and <= 'z')
                vector[c - 'a']++;
        if (text?.Contains("nan", StringComparison.Ordinal) == true)
            vector[0] = float.NaN;
        return vector;
    }

    public sealed class Loader : ITextEmbedderLoader
    {
        public string Kind => "Tests.LetterCount";

        public TextEmbedder Load(string directory) => File.Exists(Path.Combine(directory, "letters.txt"))
            ? new LetterCountEmbedder()
            : throw new InvalidDataException("letters.txt is missing.");
    }
}

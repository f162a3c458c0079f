using MLNetLlm.TorchSharp.Embeddings;
using System.Text.RegularExpressions;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>Real English sentences of varying length for the encoder tests, and a temporary folder helper.</summary>
internal static partial class EncoderTexts
{
    /// <summary>
    /// Hand-written sentences plus sentences of the license texts in tests/TestData/licenses (real prose, 3 to about 120
    /// words), restricted to letters, digits, spaces and . , ; : ( ) ' " - ? ! so that the packages' own tokenizer
    /// (which differs from BERT's on accents, symbols and line breaks) gives Hugging Face's word pieces.
    /// </summary>
    public static IReadOnlyList<string> Sentences { get; } = Read();

    private static IReadOnlyList<string> Read()
    {
        string[] written =
        [
            "A man is playing a guitar.", "Someone is strumming a guitar.", "The cat is sleeping on the sofa.",
            "How do I reset my password?", "The stock market fell sharply today.", "It is raining heavily outside.",
            "x", "Hello", "Don't stop: U.S.A. 3.14 e-mail, BERT-uncased does (it) really!",
        ];
        string folder = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "licenses");
        Assert.True(Directory.Exists(folder), $"{folder} holds the test corpus (tests/TestData/licenses).");
        var licenses = Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .SelectMany(text => SentenceEnd().Split(Whitespace().Replace(text, " ")))
            .Select(s => s.Trim())
            .Where(s => s.Length >= 20 && Allowed().IsMatch(s))
            .Distinct()
            .ToList();
        // Every seventh sentence, so the set spans the files and lengths: short clauses to long legal sentences.
        return [.. written, .. licenses.Where((_, i) => i % 7 == 0).Take(40)];
    }

    [GeneratedRegex(@"(?<=[.?!])\s+(?=[A-Z])")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^[A-Za-z0-9 .,;:()'""?!-]+$")]
    private static partial Regex Allowed();
}

/// <summary>A fresh folder under the system temp path, deleted with its contents on dispose.</summary>
internal sealed class EncoderFolder : IDisposable
{
    public EncoderFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnetllm-bert-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

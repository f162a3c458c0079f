using System.Text;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>Texts and folders the tokenizer tests share.</summary>
internal static class TokenizerTestData
{
    /// <summary>Real English prose: the license texts in tests/TestData/licenses, one paragraph a text.</summary>
    public static IReadOnlyList<string> LicenseParagraphs { get; } = ReadLicenses();

    /// <summary>Random strings over the whole of Unicode: ASCII, Latin, CJK, emoji (surrogate pairs), combining marks, controls and whitespace.</summary>
    public static IEnumerable<string> RandomUnicode(int seed, int count, int maxLength = 40)
    {
        var random = new Random(seed);
        for (int n = 0; n < count; n++)
        {
            var text = new StringBuilder();
            int length = random.Next(1, maxLength);
            for (int i = 0; i < length; i++)
            {
                int scalar = random.Next(6) switch
                {
                    0 => random.Next(0x20, 0x7F),
                    1 => random.Next(0x00, 0x20),
                    2 => random.Next(0xA0, 0x800),
                    3 => random.Next(0x4E00, 0x9FFF),
                    4 => random.Next(0x1F300, 0x1FAFF),
                    _ => random.Next(0x10000, 0x10FFFF),
                };
                if (scalar is >= 0xD800 and <= 0xDFFF)
                    scalar = 0xFFFD;
                text.Append(char.ConvertFromUtf32(scalar));
            }
            yield return text.ToString();
        }
    }

    /// <summary>A fresh empty folder, deleted when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mlnetllm-tok-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static IReadOnlyList<string> ReadLicenses()
    {
        string folder = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "licenses");
        Assert.True(Directory.Exists(folder), $"{folder} holds the test corpus (tests/TestData/licenses).");
        return Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .SelectMany(file => System.IO.File.ReadAllText(file).Split("\n\n"))
            .Select(p => p.Trim())
            .Where(p => p.Length > 0)
            .ToList();
    }
}

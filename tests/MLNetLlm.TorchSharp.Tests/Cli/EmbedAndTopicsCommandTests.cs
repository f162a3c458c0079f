using System.Runtime.InteropServices;
using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

[Collection(BrownPassageCollection.Name)]
public class EmbedAndTopicsCommandTests(BrownPassageTable brown)
{
    [Fact]
    public async Task Embed_ATable_WritesOneWholeDocumentVectorPerRow()
    {
        using var folder = new TemporaryDirectory();
        var input = brown.WriteFirst(6);
        var (code, _, error) = await Run("embed", "-i", input, "--text-col", "Passage", "-o", folder.Sub("brown.safetensors"));
        Assert.True(code == 0, error);

        using var file = SafetensorsReader.Open(folder.Sub("brown.safetensors"));
        var tensor = file.GetTensor("embeddings");
        Assert.Equal([24L, 384L], tensor.Shape);
        Assert.Equal(24, JsonSerializer.Deserialize<string[]>(file.Metadata["ids"])!.Length);
        var first = MemoryMarshal.Cast<byte, float>(file.GetBytes(tensor))[..384].ToArray();
        var expected = SentenceEmbedders.MiniLmL6V2().Embed([brown.Rows[0].Passage], LongTextOptions.Default)[0];
        for (int d = 0; d < 384; d++)
            Assert.Equal(expected[d], first[d], 5);
        Assert.True(File.Exists(folder.Sub("brown.report.json")));
    }

    [Fact]
    public async Task Embed_AFolder_ToCsv_OneRowPerFile()
    {
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(folder.Sub("docs/sub"));
        File.WriteAllText(folder.Sub("docs/a.txt"), "The jury praised the city.");
        File.WriteAllText(folder.Sub("docs/sub/b.txt"), TinyGpt.Corpus(1, sentences: 200)[0].Text); // longer than one window
        File.WriteAllText(folder.Sub("docs/skipped.md"), "Not a .txt file.");
        var (code, _, error) = await Run("embed", "-i", folder.Sub("docs"), "-o", folder.Sub("docs.csv"));
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(folder.Sub("docs.csv"));
        Assert.Equal(3, lines.Length);
        Assert.Equal(385, lines[0].Split(',').Length);
        Assert.StartsWith("a.txt,", lines[1]);
        Assert.StartsWith($"sub{Path.DirectorySeparatorChar}b.txt,", lines[2]);
    }

    [Fact]
    public async Task Topics_WritesTheTopicTableTheDocumentMapAndTheMetrics()
    {
        using var folder = new TemporaryDirectory();
        var (code, output, error) = await Run("topics", "-i", brown.WriteFirst(20), "--text-col", "Passage", "--label-col", "Genre", "--topics", "4", "-o", folder.Sub("topics"));
        Assert.True(code == 0, error);
        Assert.Contains("coherence (NPMI)", output);
        var table = File.ReadAllLines(Path.Combine(folder.Sub("topics"), "topics.csv"));
        Assert.Equal("Topic,Size,Name,Words", table[0]);
        Assert.Equal(4, table.Length - 1);
        Assert.Equal(80 + 1, File.ReadAllLines(Path.Combine(folder.Sub("topics"), "documents.csv")).Length);
        Assert.True(new FileInfo(Path.Combine(folder.Sub("topics"), "document-map.png")).Length > 1000);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Sub("topics"), "report.json")));
        var metrics = report.RootElement.GetProperty("metrics");
        Assert.Equal(4, metrics.GetProperty("Topics").GetInt32());
        Assert.InRange(metrics.GetProperty("NormalizedMutualInformation").GetDouble(), 0, 1);
    }
}

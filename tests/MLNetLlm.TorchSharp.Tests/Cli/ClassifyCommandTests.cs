using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

[Collection(BrownPassageCollection.Name)]
public class ClassifyCommandTests(BrownPassageTable brown)
{
    [Fact]
    public async Task Classify_ThenPredict_TheSavedPipelineAndItsOnnxExportScoreAsInProcess()
    {
        using var folder = new TemporaryDirectory();
        var input = brown.WriteFirst(PerGenre);
        using (var model = new GptModel(TinyGpt.Config, seed: 1))
            GptCheckpoint.Save(model, folder.Sub("tiny-gpt"), TinyGpt.Tokenizer);

        var (code, output, error) = await Run("classify", "--input", input, "--text-col", "Passage", "--label-col", "Genre",
            "--base-model", folder.Sub("tiny-gpt"), "--train", "all", "--max-steps", "4", "--max-length", "16", "--compare", "-o", folder.Sub("out"));
        Assert.True(code == 0, error);
        Assert.Contains("ML.NET FeaturizeText + SDCA", output);
        foreach (var file in new[] { "model.zip", "model.onnx", "report.md", "report.json", "history.csv", "loss.png" })
            Assert.True(File.Exists(Path.Combine(folder.Sub("out"), file)), file);
        Assert.Equal(6, CliRun.FilesUnder(folder.Sub("out")).Length); // no staging folder left
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Sub("out"), "report.json"))))
        {
            var root = report.RootElement;
            Assert.Equal(Rows, root.GetProperty("rows").GetInt32());
            Assert.Equal(BrownPassageTable.Genres.Order(), root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).Order());
            Assert.InRange(root.GetProperty("metrics").GetProperty("microAccuracy").GetDouble(), 0, 1);
            Assert.InRange(root.GetProperty("baseline").GetProperty("microAccuracy").GetDouble(), 0.4, 1); // SDCA tells four genres apart well above chance (0.25)
        }

        // The saved pipeline, loaded in-process, gives what predict writes.
        var (predicted, _, predictError) = await Run("predict", "-m", Path.Combine(folder.Sub("out"), "model.zip"), "-i", input, "--label-col", "Genre", "-o", folder.Sub("zip.csv"));
        Assert.True(predicted == 0, predictError);
        var fromZip = ReadPredictions(folder.Sub("zip.csv"));
        Assert.Equal(Rows, fromZip.Count);
        var inProcess = ScoreInProcess(Path.Combine(folder.Sub("out"), "model.zip"));
        for (int i = 0; i < inProcess.Count; i++)
        {
            Assert.Equal(inProcess[i].Label, fromZip[i].Label);
            Assert.Equal(inProcess[i].Scores, fromZip[i].Scores);
        }
        Assert.True(File.Exists(folder.Sub("zip.report.json")));

        // Its ONNX export, scored by ClassifyWithOnnx, agrees.
        var (onnx, _, onnxError) = await Run("predict", "-m", Path.Combine(folder.Sub("out"), "model.onnx"), "-i", input, "--text-col", "Passage", "-o", folder.Sub("onnx.jsonl"));
        Assert.True(onnx == 0, onnxError);
        var fromOnnx = File.ReadLines(folder.Sub("onnx.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(fromZip.Count, fromOnnx.Count);
        for (int i = 0; i < fromZip.Count; i++)
        {
            Assert.Equal(fromZip[i].Label, fromOnnx[i].GetProperty("PredictedLabel").GetString());
            for (int c = 0; c < BrownPassageTable.Genres.Length; c++)
                Assert.Equal(fromZip[i].Scores[c], float.Parse(fromOnnx[i].GetProperty($"Score.{Classes[c]}").GetString()!, CultureInfo.InvariantCulture), 1e-4);
        }
    }

    private const int PerGenre = 25;
    private const int Rows = PerGenre * 4;

    private static readonly string[] Classes = [.. BrownPassageTable.Genres.Order(StringComparer.Ordinal)];

    /// <summary>Each row's label and class probabilities (in <see cref="Classes"/> order) from the saved pipeline, loaded here.</summary>
    private List<(string Label, float[] Scores)> ScoreInProcess(string zip)
    {
        var ml = new MLContext();
        var pipeline = ml.Model.Llm.Load(zip, out _);
        var data = ml.Data.LoadFromEnumerable(BrownPassageTable.Genres.SelectMany(g => brown.Rows.Where(r => r.Genre == g).Take(PerGenre)).Select(r => new PassageRow { Passage = r.Passage }));
        var scored = pipeline.Transform(data);
        var labels = scored.GetColumn<string>("PredictedLabel").ToArray();
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        var slots = names.DenseValues().Select(n => n.ToString()).ToList();
        var scores = scored.GetColumn<float[]>("Score").Select(s => Classes.Select(c => s[slots.IndexOf(c)]).ToArray()).ToArray();
        foreach (var stage in (IEnumerable<ITransformer>)pipeline)
            (stage as IDisposable)?.Dispose();
        return [.. labels.Zip(scores)];
    }

    private static List<(string Label, float[] Scores)> ReadPredictions(string csv)
    {
        var records = ReadCsvRecords(File.ReadAllText(csv)).ToList(); // passages hold quotes and commas
        int label = records[0].IndexOf("PredictedLabel");
        var scores = Classes.Select(c => records[0].IndexOf($"Score.{c}")).ToArray();
        return [.. records.Skip(1).Select(r => (r[label], scores.Select(s => float.Parse(r[s], CultureInfo.InvariantCulture)).ToArray()))];
    }

    private static IEnumerable<List<string>> ReadCsvRecords(string text)
    {
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { record.Add(field.ToString()); field.Clear(); yield return record; record = []; }
            else if (c != '\r') field.Append(c);
        }
    }

    private sealed class PassageRow
    {
        public string Passage { get; set; } = "";
    }
}

// A transformer written outside MLNetLlm with its public ML.NET kit (MLNetLlm.Kit): it validates its input before any
// work, runs lazily, and saves and loads with mlContext.Model.Llm beside ML.NET's own stages. See docs/kit.md.
// Usage: dotnet run -c Release --project examples/CustomTransformer
using CustomTransformer;
using Microsoft.ML;
using MLNetLlm;

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromEnumerable(new[]
{
    new Row { Text = "The jury said it did find that many of the registration practices were handled well." },
    new Row { Text = "" },
    new Row { Text = "Free money!" },
});

var pipeline = new WordCountEstimator(ml, "Words", "Text")
    .Append(ml.Transforms.NormalizeMinMax("WordsScaled", "Words"));   // an ML.NET stage after ours
var model = pipeline.Fit(data);

var folder = Directory.CreateTempSubdirectory("mlnetllm-kit-").FullName;
try
{
    var path = Path.Combine(folder, "word-count.zip");
    ml.Model.Llm.Save(model, data.Schema, path);
    var loaded = new MLContext(seed: 1).Model.Llm.Load(path, out _);

    var before = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).ToList();
    var after = ml.Data.CreateEnumerable<Scored>(loaded.Transform(data), reuseRowObject: false).ToList();
    for (int i = 0; i < before.Count; i++)
        Console.WriteLine($"{before[i].Words,3} words, scaled {before[i].WordsScaled:F3} (after loading: {after[i].Words}, {after[i].WordsScaled:F3})");
    bool same = before.Zip(after).All(p => p.First.Words == p.Second.Words && p.First.WordsScaled == p.Second.WordsScaled);
    Console.WriteLine(same ? "Saved and loaded: identical." : "Saved and loaded: DIFFERENT.");
    return same ? 0 : 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

internal sealed class Row
{
    public string Text { get; set; } = "";
}

internal sealed class Scored
{
    public float Words { get; set; }

    public float WordsScaled { get; set; }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

[CollectionDefinition(nameof(OnnxScoringMemoryTests), DisableParallelization = true)]
public sealed class OnnxScoringMemoryCollection;

/// <summary>
/// Steady-state scoring through ClassifyWithOnnx keeps the managed heap flat and allocates per row only what the
/// tokenizer does. Run alone: the managed heap is the process's, and other tests running beside it would move it.
/// </summary>
[Collection(nameof(OnnxScoringMemoryTests))]
public sealed class OnnxScoringMemoryTests : IClassFixture<OnnxPipelineTests.ExportedModels>
{
    private readonly OnnxPipelineTests.ExportedModels _models;

    public OnnxScoringMemoryTests(OnnxPipelineTests.ExportedModels models) => _models = models;

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    [Fact]
    public void ScoringManyShortRows_KeepsTheManagedHeapFlat_AndAllocatesLittlePerRow()
    {
        const int Rows = 200_000, Warm = 20_000;
        var ml = new MLContext(seed: 1);
        var texts = new[] { "The jury said", "Our mayor denied the report", "A tax", "The city voted on the plan", "" }
            .Select(t => new Row { Text = t }).ToArray();
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => texts[i % texts.Length])); // the same row objects: the source allocates no text
        // Batches of 256 rows, so what a batch costs (ONNX Runtime's Run, the OrtValue wrappers: a few KB) shows as a few
        // bytes a row, and anything allocated per row (a string, an array of probabilities) would show whole.
        using var model = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 256, IntraOpThreads = 1 }).Fit(data);
        var scored = model.Transform(data);
        var score = scored.Schema["Score"];
        var label = scored.Schema["PredictedLabel"];

        using var cursor = scored.GetRowCursor([score, label]);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        var getLabel = cursor.GetGetter<uint>(label);
        var value = default(VBuffer<float>);
        uint key = 0;
        long heapWarm = 0, allocatedWarm = 0;
        int rows = 0, outOfRange = 0;
        while (cursor.MoveNext())
        {
            getScore(ref value);
            getLabel(ref key);
            if (key is < 1 or > 3 || value.Length != 3)
                outOfRange++; // counted, not asserted here: an assertion per row would allocate
            if (++rows == Warm)
            {
                heapWarm = GC.GetTotalMemory(forceFullCollection: true);
                allocatedWarm = GC.GetAllocatedBytesForCurrentThread();
            }
        }
        long allocatedPerRow = (GC.GetAllocatedBytesForCurrentThread() - allocatedWarm) / (Rows - Warm);
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapWarm;
        Assert.Equal(Rows, rows);
        Assert.Equal(0, outOfRange);
        Assert.True(heapGrowth < 1 << 20, $"the managed heap grew by {heapGrowth:N0} bytes over {Rows - Warm:N0} rows");

        // What is left per row is the tokenizer's: encoding the same texts alone allocates as much, but for the batches' share.
        long tokenizerPerRow = TokenizerAllocationPerRow(texts.Select(r => r.Text).ToArray(), Rows - Warm);
        Assert.True(allocatedPerRow < tokenizerPerRow + 48,
            $"{allocatedPerRow} bytes allocated per row in steady state, {tokenizerPerRow} of them by the tokenizer alone");
    }

    private static long TokenizerAllocationPerRow(string[] texts, int rows)
    {
        var tokenizer = TinyGpt.Tokenizer;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < rows; i++)
            TokenBatch.EncodeForClassifier(texts[i % texts.Length].AsSpan(), tokenizer, TinyGpt.Config.ContextLength);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / rows;
    }
}

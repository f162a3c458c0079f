using Cloud.Unum.USearch;
using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

/// <summary>Fails loudly if a USearch upgrade moves what <see cref="USearchNative"/> reaches (the native handle, the C function).</summary>
public class USearchNativeTests
{
    [Fact]
    public void TheSearchExpansionCanBeChangedAndSurvivesLoading()
    {
        using var graph = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, 8, 16, 128, 64);
        USearchNative.SetExpansionSearch(graph, 300);
        Assert.Equal(300, USearchNative.ExpansionSearch(graph));

        var vectors = TestVectors.Normalised(50, 8, seed: 1);
        var folder = TestVectors.TempFolder();
        using (var index = VectorIndex.Build(TestVectors.Documents(vectors), new VectorIndexOptions { Engine = VectorEngine.Hnsw, ExpansionSearch = 222 }))
            index.Save(folder);
        using var loaded = VectorIndex.Load(folder);
        Assert.Equal(222, loaded.NativeExpansionSearch);
        loaded.Add(new VectorDocument("new", vectors[0]));   // leaves the memory-mapped view: the expansion must follow
        Assert.Equal(222, loaded.NativeExpansionSearch);
        Assert.Equal("doc7", loaded.Search(vectors[7], 1)[0].Id);
    }
}

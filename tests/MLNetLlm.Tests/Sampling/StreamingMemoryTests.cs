using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace MLNetLlm.Tests.Sampling;

/// <summary>
/// Simple random, systematic and importance sampling stream a 10-million-row generated view (160 MB if it were
/// stored) without holding it: the managed heap, sampled every 65,536 rows during every pass, stays far below that.
/// The heap is process-wide, so these tests run alone (their collection disables parallel runs).
/// </summary>
[Collection(nameof(StreamingMemoryTests))]
public class StreamingMemoryTests(ITestOutputHelper output)
{
    private const long Rows = 10_000_000;
    private const long DataBytes = Rows * GeneratedDataView.BytesPerRow;
    private const long Allowed = DataBytes / 10;

    [Fact]
    public void Simple_random_sampling_streams_ten_million_rows()
    {
        var ml = new MLContext(seed: 1);
        AssertStreams(data => ml.Data.Llm.SampleRandom(data, 1000, seed: 1), 1000);
    }

    [Fact]
    public void Systematic_sampling_streams_ten_million_rows()
    {
        var ml = new MLContext(seed: 1);
        AssertStreams(data => ml.Data.Llm.SampleSystematic(data, 10_000, seed: 1), 1000);
    }

    [Fact]
    public void Importance_sampling_streams_ten_million_rows()
    {
        var ml = new MLContext(seed: 1);
        AssertStreams(data => ml.Data.Llm.SampleImportance(data, "Weight", 1000, seed: 1), 1000);
        AssertStreams(data => ml.Data.Llm.SampleImportance(data, "Weight", 1000, withReplacement: true, seed: 1), 1000);
    }

    private void AssertStreams(Func<IDataView, IDataView> sample, long expectedRows)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var data = new GeneratedDataView(Rows, knowsRowCount: false);

        var view = sample(data);
        long rows = 0, idSum = 0;
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var getId = cursor.GetGetter<long>(view.Schema["Id"]);
            long id = 0;
            while (cursor.MoveNext())
            {
                getId(ref id);
                idSum += id;
                rows++;
            }
        }

        Assert.Equal(expectedRows, rows);
        Assert.InRange(idSum / rows, Rows / 4, Rows * 3 / 4); // spread over the whole input, not its head
        Assert.True(data.PeakManagedBytes > 0, "the generated view sampled the heap");
        var growth = data.PeakManagedBytes - baseline;
        output.WriteLine($"peak managed heap growth {growth:N0} bytes over {data.CursorsOpened} passes; rows would take {DataBytes:N0} bytes");
        Assert.True(growth < Allowed, $"managed heap grew by {growth:N0} bytes while streaming {DataBytes:N0} bytes of rows");
    }
}

[CollectionDefinition(nameof(StreamingMemoryTests), DisableParallelization = true)]
public class StreamingMemoryCollection;

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Preparation;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Xunit.Abstractions;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

public class TokenWindowFileTests
{
    [Fact]
    public void Reads_back_every_window_of_the_data_view_and_deletes_its_file_on_dispose()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(TinyGpt.Data(ml, documents: 120), "Text", TinyGpt.Tokenizer,
            new NextTokenWindowOptions { ContextLength = 8, Tail = NextTokenWindowTail.Pad });
        var inputs = DataViewValues.Column<long>(windows, "InputIds");
        var targets = DataViewValues.Column<long>(windows, "TargetIds");

        using (var file = TokenWindowFile.Write(windows, 8, folder.Path)!)
        {
            Assert.Single(Directory.GetFiles(folder.Path));
            Assert.Equal(inputs.Count, file.WindowCount);
            Assert.True(file.WindowCount > 256, "more windows than one write buffer holds");
            Assert.Contains(targets, row => row.Contains(-1L)); // the padded tail is kept
            var input = new long[8];
            var target = new long[8];
            foreach (var index in new long[] { file.WindowCount - 1, 0, 255, 256, 100 })
            {
                file.CopyWindow(index, input, target);
                Assert.Equal(inputs[(int)index], input);
                Assert.Equal(targets[(int)index], target);
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => file.CopyWindow(file.WindowCount, input, target));
        }
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void An_id_beyond_32_bits_is_named_and_no_file_is_left()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.LoadFromEnumerable(new[]
        {
            new WindowRow { InputIds = [1, 2, 3], TargetIds = [2, 3, 4] },
            new WindowRow { InputIds = [4, 5_000_000_000, 6], TargetIds = [5, 6, -1] },
        });

        var error = Assert.Throws<InvalidDataException>(() => TokenWindowFile.Write(windows, 3, folder.Path));

        Assert.Equal("Window 1 has input id 5000000000, outside the 32-bit ids a vocabulary can have.", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<WindowRow>());
        Assert.Null(TokenWindowFile.Write(empty, 3, folder.Path));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private sealed class WindowRow
    {
        [VectorType(3)] public long[] InputIds { get; set; } = [];
        [VectorType(3)] public long[] TargetIds { get; set; } = [];
    }
}

/// <summary>
/// Pretraining windows of a generated six-million-token corpus (96 MB as the two long arrays they used to be held in)
/// are written and read back while the managed heap, sampled as the corpus streams and as every window is read,
/// grows by less than a sixth of that. The heap is process-wide, so this runs alone.
/// </summary>
[Collection(nameof(PretrainingMemoryTests))]
public class PretrainingMemoryTests(ITestOutputHelper output)
{
    private const int Documents = 3000, TokensPerDocument = 2000, Context = 128;
    private const long ArrayBytes = (long)Documents * TokensPerDocument * 2 * sizeof(long);
    private const long Allowed = ArrayBytes / 6;

    [Fact]
    public void Pretraining_windows_stream_a_corpus_six_times_larger_than_the_heap_budget()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = GC.GetTotalMemory(forceFullCollection: true), peak = 0;
        void Sample() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        var ml = new MLContext(seed: 1);
        var corpus = ml.Data.LoadFromEnumerable(Generate(Sample));
        var options = TinyGpt.Options() with { Tokenizer = null, TextColumnName = null, TokenColumnName = "Tokens", ValidationFraction = 0.1 };

        var (train, validation) = PretrainingWindows.Create(ml, corpus, options, tokenizer: null, Context, seed: 1);
        using (train)
        using (validation)
        {
            var input = new long[Context];
            var target = new long[Context];
            long checksum = 0;
            foreach (var source in new ITokenWindowSource[] { train, validation })
            {
                for (long w = 0; w < source.WindowCount; w++)
                {
                    source.CopyWindow(w, input, target);
                    checksum += input[0];
                    if (w % 4096 == 0) Sample();
                }
            }
            long tokens = (train.WindowCount + validation.WindowCount) * Context;
            Assert.True(tokens > (long)Documents * TokensPerDocument * 0.99, $"{tokens:N0} tokens in windows");
            Assert.True(checksum > 0);
        }

        var growth = peak - baseline;
        output.WriteLine($"peak managed heap growth {growth:N0} bytes; the windows as arrays would take {ArrayBytes:N0} bytes");
        Assert.True(peak > 0, "the heap was sampled");
        Assert.True(growth < Allowed, $"managed heap grew by {growth:N0} bytes; allowed {Allowed:N0}, arrays would take {ArrayBytes:N0}");
    }

    private static IEnumerable<TokenDoc> Generate(Action sample)
    {
        var tokens = new long[TokensPerDocument];
        for (int d = 0; d < Documents; d++)
        {
            for (int i = 0; i < tokens.Length; i++) tokens[i] = 1 + (d * 7919 + i * 31) % 299;
            if (d % 50 == 0) sample();
            yield return new TokenDoc { Tokens = tokens };
        }
    }

    private sealed class TokenDoc
    {
        public long[] Tokens { get; set; } = [];
    }
}

[CollectionDefinition(nameof(PretrainingMemoryTests), DisableParallelization = true)]
public sealed class PretrainingMemoryCollection;

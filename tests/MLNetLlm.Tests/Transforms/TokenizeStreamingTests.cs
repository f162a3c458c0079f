using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tokenization;
using Xunit.Abstractions;

namespace MLNetLlm.Tests.Transforms;

[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

/// <summary>Tokenize streams: memory follows a row, not the data (measured as live managed memory while cursoring).</summary>
[Collection(nameof(MemoryMeasurements))]
public class TokenizeStreamingTests(ITestOutputHelper output)
{
    private static readonly LlmTokenizer Gpt2 = LlmTokenizers.Gpt2();
    [Fact]
    public void A_million_generated_rows_stream_in_memory_far_below_the_data()
    {
        const int rows = 1_000_000;
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        long textBytes = 0;
        IEnumerable<TextRow> Generate()
        {
            for (int i = 0; i < rows; i++)
            {
                var text = SyntheticEnglish.Sentence(random, i);
                textBytes += text.Length * sizeof(char);
                yield return new TextRow { Text = text };
            }
        }

        var data = ml.Data.LoadFromEnumerable(Generate());
        var tokenized = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data).Transform(data);
        var (count, tokens, peak) = Drain(tokenized, sampleEvery: 100_000);
        output.WriteLine($"{count:N0} rows, {tokens:N0} tokens, {textBytes:N0} bytes of text: live memory grew by at most {peak:N0} bytes");

        Assert.Equal(rows, count);
        long tokenBytes = tokens * sizeof(long);
        Assert.True(textBytes > 100_000_000, $"the test data is only {textBytes:N0} bytes");
        Assert.True(peak < (textBytes + tokenBytes) / 20, $"live memory grew by {peak:N0} bytes over {textBytes + tokenBytes:N0} bytes of text and ids");
    }

    [Fact]
    public void A_ten_megabyte_document_streams_line_by_line_from_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlnetllm-document-{Guid.NewGuid():N}.txt");
        try
        {
            var random = new Random(2);
            long lines = 0;
            using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)))
                for (; writer.BaseStream.Length < 10_000_000; lines++)
                    writer.WriteLine(SyntheticEnglish.Sentence(random, (int)lines));
            long size = new FileInfo(path).Length;

            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromTextFile(path, [new TextLoader.Column("Text", DataKind.String, 0)], separatorChar: '\t');
            var tokenized = ml.Transforms.Llm.Tokenize("Tokens", "Text", Gpt2).Fit(data).Transform(data);
            var (count, tokens, peak) = Drain(tokenized, sampleEvery: 20_000);
            var (_, _, loaderPeak) = Drain(tokenized, sampleEvery: 20_000, name: "Text");
            output.WriteLine($"{size:N0}-byte document, {count:N0} lines, {tokens:N0} tokens: live memory grew by at most {peak:N0} bytes (text loader alone: {loaderPeak:N0})");

            Assert.Equal(lines, count);
            Assert.True(tokens > size / 8, $"only {tokens:N0} tokens from {size:N0} bytes");
            Assert.True(peak - loaderPeak < size / 10, $"tokenizing added {peak - loaderPeak:N0} bytes of live memory to the loader's");
            Assert.True(peak < size / 4, $"live memory grew by {peak:N0} bytes over a {size:N0}-byte document (text loader alone: {loaderPeak:N0})");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Reads every row's <paramref name="name"/> (ids, or text to measure the loader alone); returns the rows, the values
    /// read and the largest growth of live managed memory seen.
    /// </summary>
    private static (long Rows, long Values, long PeakGrowth) Drain(IDataView output, int sampleEvery, string name = "Tokens")
    {
        var column = output.Schema[name];
        // The tokenizer keeps a fixed-size cache of recent words (Microsoft.ML.Tokenizers' LRU cache): fill it first, so
        // that what is measured is what grows with the data.
        for (int i = 0; i < 20_000; i++)
            Gpt2.EncodeToIds($"warm {i}");
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, rows = 0, values = 0;
        using (var cursor = output.GetRowCursor([column]))
        {
            Func<int> read;
            if (column.Type is TextDataViewType)
            {
                var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> text = default;
                read = () => { getter(ref text); return text.Length; };
            }
            else
            {
                var getter = cursor.GetGetter<VBuffer<long>>(column);
                VBuffer<long> ids = default;
                read = () => { getter(ref ids); return ids.Length; };
            }
            while (cursor.MoveNext())
            {
                values += read();
                if (++rows % sampleEvery == 0)
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
        return (rows, values, peak);
    }
}

using MLNetLlm.Search;
using Microsoft.ML.Tokenizers;

namespace MLNetLlm.Search.Tests;

public class TextChunkerTests
{
    private const string Text = "First sentence here. Second one follows! A third? Yes.\n\nA new paragraph starts. It ends.";

    [Fact]
    public void SentencesArePackedWholeAndEveryChunkCitesItsSpan()
    {
        var chunks = TextChunker.Split("doc", Text, new ChunkingOptions { Mode = ChunkingMode.Sentences, MaxTokens = 6, Overlap = 1 });

        Assert.Equal(["First sentence here. Second one follows!", "A third? Yes.", "A new paragraph starts. It ends."], chunks.Select(c => c.Text));
        Assert.All(chunks, c => Assert.Equal(c.Text, Text.Substring(c.Start, c.Length)));
        Assert.Equal(["doc#0", "doc#1", "doc#2"], chunks.Select(c => c.Id));
        Assert.All(chunks, c => Assert.Equal("doc", c.SourceId));
    }

    [Fact]
    public void ParagraphsStayWholeWhenTheyFit()
    {
        var chunks = TextChunker.Split("doc", Text, new ChunkingOptions { Mode = ChunkingMode.Paragraphs, MaxTokens = 10, Overlap = 1 });

        Assert.Equal(["First sentence here. Second one follows! A third? Yes.", "A new paragraph starts. It ends."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void TokenWindowsOverlapByTheGivenCount()
    {
        var words = string.Join(' ', Enumerable.Range(0, 10).Select(i => $"w{i}"));

        var chunks = TextChunker.Split("d", words, new ChunkingOptions { Mode = ChunkingMode.Tokens, MaxTokens = 4, Overlap = 1 });

        Assert.Equal(["w0 w1 w2 w3", "w3 w4 w5 w6", "w6 w7 w8 w9"], chunks.Select(c => c.Text));
        Assert.All(chunks, c => Assert.Equal(c.Text, words.Substring(c.Start, c.Length)));
    }

    [Fact]
    public void ATokenizerCountsSubwordTokensAndOffsetsStayInTheSource()
    {
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt2");
        const string text = "Tokenization splits uncommonwords into pieces.";

        var chunks = TextChunker.Split("d", text, new ChunkingOptions { Mode = ChunkingMode.Tokens, MaxTokens = 3, Overlap = 0, Tokenizer = tokenizer });

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.Equal(c.Text, text.Substring(c.Start, c.Length)));
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(text.Length, chunks[^1].Start + chunks[^1].Length);
    }

    [Fact]
    public void BadOptionsAndEmptyTexts()
    {
        Assert.Empty(TextChunker.Split("d", "   "));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextChunker.Split("d", "x", new ChunkingOptions { MaxTokens = 4, Overlap = 4 }));
        Assert.Throws<ArgumentException>(() => TextChunker.Split(" ", "x"));
    }
}

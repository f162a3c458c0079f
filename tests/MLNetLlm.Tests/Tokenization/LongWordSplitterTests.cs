using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class LongWordSplitterTests
{
    private static readonly LongWordSplitter Splitter = new(new RegexPreTokenizer(new Regex(BpeTokenizerOptions.Gpt2PreTokenizerPattern), null));

    [Fact]
    public void Short_words_pass_through_unchanged()
    {
        const string text = "Hello, world! It's 2024.";
        var inner = new RegexPreTokenizer(new Regex(BpeTokenizerOptions.Gpt2PreTokenizerPattern), null);
        Assert.Equal(inner.PreTokenize(text), Splitter.PreTokenize(text));
    }

    [Fact]
    public void Long_words_are_cut_into_contiguous_pieces_that_keep_surrogate_pairs_whole()
    {
        // Words: " a…a" (128 characters, kept whole), "!🙂🙂…" (201 characters, cut), " end".
        var text = " " + new string('a', 127) + "!" + string.Concat(Enumerable.Repeat("🙂", 100)) + " end";
        var pieces = Splitter.PreTokenize(text).ToList();
        Assert.Equal(0, pieces[0].Offset);
        for (int i = 1; i < pieces.Count; i++)
            Assert.Equal(pieces[i - 1].Offset + pieces[i - 1].Length, pieces[i].Offset);
        Assert.Equal(text.Length, pieces[^1].Offset + pieces[^1].Length);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, LongWordSplitter.MaxWordLength));
        Assert.All(pieces, p => Assert.False(char.IsLowSurrogate(text[p.Offset]), $"piece at {p.Offset} starts inside a surrogate pair"));
        Assert.Equal(128, pieces[0].Length);
        Assert.Equal(127, pieces[1].Length);   // the 128th character of "!🙂🙂…" is a high surrogate
        Assert.Equal(" end", text.Substring(pieces[^1].Offset, pieces[^1].Length));
    }
}

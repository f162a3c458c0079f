using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

/// <summary>
/// <c>EncodeToIds(text, maxTokenCount)</c> gives exactly the whole encoding cut as Hugging Face cuts it, for every kind of
/// tokenizer, and stops encoding a long text once it has enough ids.
/// </summary>
public class EncodeToMaxTokensTests
{
    private static readonly string[] WordPieceVocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "##aff", "##able", ",", "!", "the", "a", "of", "and", "license", "software"];

    public static TheoryData<string> Kinds => ["gpt2", "cl100k", "trained-bpe", "wordpiece-framed", "wordpiece-bare", "whitespace"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_cut_encoding_is_the_whole_encoding_cut(string kind)
    {
        using var folder = new TokenizerTestData.TempFolder();
        var tokenizer = Create(kind, folder);
        var texts = TokenizerTestData.LicenseParagraphs.Take(60)
            .Concat(TokenizerTestData.RandomUnicode(seed: 5, count: 40, maxLength: 400))
            .Append(string.Join(" ", TokenizerTestData.LicenseParagraphs.Take(30)))          // a long document
            .Append(new string('!', 3_000) + " tail")                                       // one pre-token of many tokens
            .Append("some text <|endoftext|> more text " + string.Concat(Enumerable.Repeat("word ", 200)))
            .Append("ends with the end of text<|endoftext|>")
            .Append("Hello, unaffable world [SEP] hello");
        foreach (var text in texts)
        {
            var whole = tokenizer.EncodeToIds(text);
            foreach (int max in new[] { 0, 1, 2, 3, 7, 64, 65, 200, whole.Count - 1, whole.Count, whole.Count + 5 }.Where(m => m >= 0))
                Assert.Equal(LlmTokenizer.Truncate(whole, max, tokenizer.EndOfTextId), tokenizer.EncodeToIds(text, max));
        }
    }

    [Fact]
    public void A_framed_cut_keeps_the_final_SEP()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = Create("wordpiece-framed", folder);
        // [CLS] hello , un ##aff ##able [SEP]: cut to five, the framing [SEP] stays last
        Assert.Equal([2, 5, 10, 7, 3], bert.EncodeToIds("Hello, unaffable world!", 5));
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("wordpiece-framed")]
    public void Cutting_a_long_text_allocates_for_its_first_tokens_only(string kind)
    {
        using var folder = new TokenizerTestData.TempFolder();
        var tokenizer = Create(kind, folder);
        string book = string.Join("\n\n", Enumerable.Repeat(string.Join("\n\n", TokenizerTestData.LicenseParagraphs), 10)); // ~3 MB
        tokenizer.EncodeToIds(book.AsSpan(0, 1_000), 16); // warm up caches and code paths

        long before = GC.GetAllocatedBytesForCurrentThread();
        var cut = tokenizer.EncodeToIds(book, 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(16, cut.Count);
        // The whole encoding alone would be hundreds of thousands of ids (megabytes); a copy of the text is 6 MB.
        Assert.True(allocated < book.Length / 4, $"cutting to 16 ids allocated {allocated:N0} bytes for a {book.Length:N0}-character text");
    }

    [Fact]
    public void A_negative_count_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LlmTokenizers.Gpt2().EncodeToIds("text", -1));
    }

    private static LlmTokenizer Create(string kind, TokenizerTestData.TempFolder folder)
    {
        switch (kind)
        {
            case "gpt2": return LlmTokenizers.Gpt2();
            case "cl100k": return LlmTokenizers.Cl100kBase();
            case "trained-bpe": return BpeTrainer.Train(TokenizerTestData.LicenseParagraphs.Take(100), new BpeTrainerOptions { VocabularySize = 600 });
            case "whitespace": return LlmTokenizers.Whitespace().Build(TokenizerTestData.LicenseParagraphs.Take(100));
        }
        var path = folder.File("vocab.txt");
        File.WriteAllLines(path, WordPieceVocabulary);
        return LlmTokenizers.WordPiece(path, new WordPieceTokenizerOptions { AddClassificationAndSeparator = kind == "wordpiece-framed" });
    }
}

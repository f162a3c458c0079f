using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class BpeFileTokenizerTests
{
    private static readonly Lazy<string> Gpt2Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("mlnetllm-gpt2-hf-").FullName;
        Gpt2HuggingFaceFiles.Write(folder);
        return folder;
    });

    private static LlmTokenizer Gpt2FromFiles() =>
        LlmTokenizers.Bpe(Path.Combine(Gpt2Folder.Value, "vocab.json"), Path.Combine(Gpt2Folder.Value, "merges.txt"));

    [Fact]
    public void Gpt2_vocab_and_merges_files_encode_the_published_ids()
    {
        var gpt2 = Gpt2FromFiles();
        Assert.Equal([15496, 11, 995, 0], gpt2.EncodeToIds("Hello, world!"));
        Assert.Equal(50257, gpt2.VocabularySize);
        Assert.Equal(50256, gpt2.EndOfTextId);
        Assert.Equal([50256], gpt2.EncodeToIds("<|endoftext|>"));
    }

    [Fact]
    public void Gpt2_from_files_matches_tiktoken_on_prose_and_random_Unicode()
    {
        var fromFiles = Gpt2FromFiles();
        var tiktoken = LlmTokenizers.Gpt2();
        foreach (var text in TokenizerTestData.LicenseParagraphs.Concat(TokenizerTestData.RandomUnicode(seed: 11, count: 300)))
        {
            var ids = tiktoken.EncodeToIds(text);
            Assert.Equal(ids, fromFiles.EncodeToIds(text));
            Assert.Equal(text, fromFiles.Decode(ids));
        }
    }

    [Fact]
    public void A_hand_written_vocabulary_merges_in_rank_order()
    {
        using var folder = new TokenizerTestData.TempFolder();
        File.WriteAllText(folder.File("vocab.json"), """{"a":0,"b":1,"c":2,"Ġ":3,"ab":4,"abc":5,"Ġa":6}""");
        File.WriteAllText(folder.File("merges.txt"), "#version: 0.2\na b\nab c\nĠ a\n");
        var bpe = LlmTokenizers.Bpe(folder.File("vocab.json"), folder.File("merges.txt"), new BpeTokenizerOptions { EndOfTextToken = null });
        // "a b" outranks "Ġ a", so " ab" becomes Ġ + ab, not Ġa + b.
        Assert.Equal([5, 3, 4], bpe.EncodeToIds("abc ab"));
        Assert.Equal([6], bpe.EncodeToIds(" a"));
        Assert.Equal("abc ab", bpe.Decode([5, 3, 4]));
        Assert.Equal(7, bpe.VocabularySize);
        Assert.Empty(bpe.SpecialTokens);
    }

    [Fact]
    public void Special_tokens_missing_from_the_vocabulary_get_the_next_ids()
    {
        using var folder = new TokenizerTestData.TempFolder();
        File.WriteAllText(folder.File("vocab.json"), """{"a":0,"b":1,"ab":2}""");
        File.WriteAllText(folder.File("merges.txt"), "a b\n");
        var bpe = LlmTokenizers.Bpe(folder.File("vocab.json"), folder.File("merges.txt"),
            new BpeTokenizerOptions { ByteLevel = false, UnknownToken = "<unk>", PaddingToken = "<pad>", SpecialTokens = ["[SEP]"] });
        Assert.Equal(3, bpe.SpecialTokens["[SEP]"]);
        Assert.Equal(4, bpe.EndOfTextId);
        Assert.Equal(5, bpe.PaddingId);
        Assert.Equal(6, bpe.UnknownId);
        Assert.Equal(7, bpe.VocabularySize);
        Assert.Equal([2, 3, 6, 4], bpe.EncodeToIds("ab[SEP]z<|endoftext|>"));
    }

    [Fact]
    public void Missing_files_fail_with_the_path()
    {
        using var folder = new TokenizerTestData.TempFolder();
        File.WriteAllText(folder.File("vocab.json"), """{"a":0}""");
        var missingVocab = Assert.Throws<FileNotFoundException>(() => LlmTokenizers.Bpe(folder.File("nope.json"), folder.File("merges.txt")));
        Assert.Contains("nope.json", missingVocab.Message);
        var missingMerges = Assert.Throws<FileNotFoundException>(() => LlmTokenizers.Bpe(folder.File("vocab.json"), folder.File("merges.txt")));
        Assert.Contains("merges.txt", missingMerges.Message);
    }

    [Theory]
    [InlineData("{\"a\":0,", "")]
    [InlineData("[\"a\",\"b\"]", "")]
    [InlineData("{}", "")]
    [InlineData("{\"a\":0,\"b\":0}", "")]
    [InlineData("{\"a\":-1}", "")]
    [InlineData("{\"a\":0,\"b\":1,\"ab\":2}", "a b c\n")]
    [InlineData("{\"a\":0,\"b\":1,\"ab\":2}", "ab\n")]
    [InlineData("{\"a\":0,\"b\":1,\"ab\":2}", "a x\n")]
    [InlineData("{\"a\":0,\"b\":1}", "a b\n")]
    [InlineData("{\"a\":0,\"b\":1,\"ab\":2}", "a b\na b\n")]
    public void Malformed_files_fail_with_a_clear_error(string vocabulary, string merges)
    {
        using var folder = new TokenizerTestData.TempFolder();
        File.WriteAllText(folder.File("vocab.json"), vocabulary);
        File.WriteAllText(folder.File("merges.txt"), merges);
        var error = Assert.Throws<InvalidDataException>(() => LlmTokenizers.Bpe(folder.File("vocab.json"), folder.File("merges.txt")));
        Assert.Contains(folder.Path, error.Message);
    }

    [Fact]
    public void Byte_level_with_an_unknown_token_is_rejected()
    {
        using var folder = new TokenizerTestData.TempFolder();
        File.WriteAllText(folder.File("vocab.json"), """{"a":0}""");
        File.WriteAllText(folder.File("merges.txt"), "");
        Assert.Throws<ArgumentException>(() => LlmTokenizers.Bpe(folder.File("vocab.json"), folder.File("merges.txt"), new BpeTokenizerOptions { UnknownToken = "<unk>" }));
    }

    [Fact]
    public void A_saved_file_tokenizer_reloads_from_its_own_copy()
    {
        using var source = new TokenizerTestData.TempFolder();
        using var saved = new TokenizerTestData.TempFolder();
        File.WriteAllText(source.File("vocab.json"), """{"h":0,"i":1,"hi":2,"Ġ":3}""");
        File.WriteAllText(source.File("merges.txt"), "h i\n");
        var bpe = LlmTokenizers.Bpe(source.File("vocab.json"), source.File("merges.txt"), new BpeTokenizerOptions { PaddingToken = "<pad>" });
        bpe.Save(saved.Path);
        File.Delete(source.File("vocab.json"));

        var loaded = LlmTokenizers.Load(saved.Path);
        Assert.Equal(bpe.EncodeToIds("hi hi<pad>"), loaded.EncodeToIds("hi hi<pad>"));
        Assert.Equal(bpe.PaddingId, loaded.PaddingId);
        Assert.Equal(bpe.EndOfTextId, loaded.EndOfTextId);
    }

    [Fact]
    public void Loading_a_folder_with_a_corrupt_merges_file_fails_whole()
    {
        using var folder = new TokenizerTestData.TempFolder();
        BpeTrainer.Train(["hello hello world"], new BpeTrainerOptions { VocabularySize = 270 }).Save(folder.Path);
        File.AppendAllText(folder.File("merges.txt"), "not-a-token x\n");
        var error = Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
        Assert.Contains("merges.txt", error.Message);

        File.Delete(folder.File("vocab.json"));
        Assert.Throws<InvalidDataException>(() => LlmTokenizers.Load(folder.Path));
    }
}

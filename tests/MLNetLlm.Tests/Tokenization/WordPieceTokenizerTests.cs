using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class WordPieceTokenizerTests
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "##aff", "##able", ",", "!", "the", "Hello", "cafe"];

    private static string WriteVocabulary(TokenizerTestData.TempFolder folder, IEnumerable<string> lines)
    {
        var path = folder.File("vocab.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Encodes_a_hand_written_vocabulary_with_CLS_and_SEP()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(folder, Vocabulary));
        // [CLS] hello , un ##aff ##able world ! [SEP]
        Assert.Equal([2, 5, 10, 7, 8, 9, 6, 11, 3], bert.EncodeToIds("Hello, unaffable WORLD!"));
        Assert.Equal(15, bert.VocabularySize);
        Assert.Equal(0, bert.PaddingId);
        Assert.Equal(1, bert.UnknownId);
        Assert.Equal(3, bert.EndOfTextId);
        Assert.Equal(4, bert.SpecialTokens["[MASK]"]);
    }

    [Fact]
    public void Unknown_words_become_UNK_and_accents_are_stripped_when_lower_casing()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(folder, Vocabulary), new WordPieceTokenizerOptions { AddClassificationAndSeparator = false });
        Assert.Equal([14, 1, 12], bert.EncodeToIds("Café zebra the"));
    }

    [Fact]
    public void Cased_vocabularies_keep_case()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(folder, Vocabulary), new WordPieceTokenizerOptions { LowerCase = false, AddClassificationAndSeparator = false });
        Assert.Equal([13, 1], bert.EncodeToIds("Hello WORLD"));
    }

    [Fact]
    public void Special_tokens_in_text_keep_their_ids()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(folder, Vocabulary), new WordPieceTokenizerOptions { AddClassificationAndSeparator = false });
        Assert.Equal([5, 4, 6], bert.EncodeToIds("hello [MASK] world"));
        Assert.Equal([3, 3], bert.EncodeToIds("[SEP][SEP]"));
    }

    [Fact]
    public void Decode_joins_word_pieces_and_drops_padding()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(folder, Vocabulary), new WordPieceTokenizerOptions { AddClassificationAndSeparator = false });
        Assert.Equal("unaffable world", bert.Decode([7, 8, 9, 6, 0, 0]));
    }

    [Fact]
    public void Saved_tokenizer_reloads_with_its_options_and_vocabulary()
    {
        using var source = new TokenizerTestData.TempFolder();
        using var saved = new TokenizerTestData.TempFolder();
        var options = new WordPieceTokenizerOptions { LowerCase = false };
        var bert = LlmTokenizers.WordPiece(WriteVocabulary(source, Vocabulary), options);
        bert.Save(saved.Path);
        var loaded = LlmTokenizers.Load(saved.Path);
        Assert.Equal("wordpiece", loaded.Name);
        Assert.Equal(bert.EncodeToIds("Hello world, unaffable!"), loaded.EncodeToIds("Hello world, unaffable!"));
    }

    [Fact]
    public void Bad_vocabulary_files_fail_clearly()
    {
        using var folder = new TokenizerTestData.TempFolder();
        Assert.Throws<FileNotFoundException>(() => LlmTokenizers.WordPiece(folder.File("missing.txt")));

        var noSpecials = Assert.Throws<InvalidDataException>(() => LlmTokenizers.WordPiece(WriteVocabulary(folder, ["hello", "world"])));
        Assert.Contains("[UNK]", noSpecials.Message);

        var repeated = Assert.Throws<InvalidDataException>(() => LlmTokenizers.WordPiece(WriteVocabulary(folder, [.. Vocabulary, "hello"])));
        Assert.Contains("repeats", repeated.Message);

        var blank = Assert.Throws<InvalidDataException>(() => LlmTokenizers.WordPiece(WriteVocabulary(folder, ["[PAD]", "", .. Vocabulary[1..]])));
        Assert.Contains("Line 2", blank.Message);
    }
}

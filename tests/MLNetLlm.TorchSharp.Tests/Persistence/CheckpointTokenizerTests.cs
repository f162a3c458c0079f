using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class CheckpointTokenizerTests
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", "lazy", "dog", "zebra", "yak"];

    [Fact]
    public void A_tokenizer_matches_an_equal_one_read_from_other_files()
    {
        using var folder = new TemporaryFolder();
        Assert.True(CheckpointTokenizer.Matches(WordPiece(folder, "a", Vocabulary), WordPiece(folder, "b", Vocabulary)));
        Assert.True(CheckpointTokenizer.Matches(LlmTokenizers.Gpt2(), LlmTokenizers.Gpt2()));
    }

    [Fact]
    public void Ids_that_mean_other_text_are_caught_even_where_the_probe_text_agrees()
    {
        using var folder = new TemporaryFolder();
        string[] swapped = [.. Vocabulary[..^2], "yak", "zebra"]; // two words the probe never uses change ids
        var a = WordPiece(folder, "a", Vocabulary);
        var b = WordPiece(folder, "b", swapped);
        Assert.Equal(a.EncodeToIds("The quick brown fox jumps over the lazy dog"), b.EncodeToIds("The quick brown fox jumps over the lazy dog"));
        Assert.False(CheckpointTokenizer.Matches(a, b));
    }

    [Fact]
    public void The_same_vocabulary_read_with_other_rules_is_caught()
    {
        using var folder = new TemporaryFolder();
        var lower = WordPiece(folder, "a", Vocabulary);
        var cased = WordPiece(folder, "b", Vocabulary, new WordPieceTokenizerOptions { LowerCase = false });
        Assert.False(CheckpointTokenizer.Matches(lower, cased));
    }

    private static LlmTokenizer WordPiece(TemporaryFolder folder, string name, string[] lines, WordPieceTokenizerOptions? options = null)
    {
        var path = folder.File(name + ".txt");
        File.WriteAllLines(path, lines);
        return LlmTokenizers.WordPiece(path, options);
    }
}

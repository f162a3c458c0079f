using Microsoft.ML.Tokenizers;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Tokenization;

public class BpeTrainerTests
{
    private static readonly Lazy<BpeLlmTokenizer> Trained = new(() =>
        BpeTrainer.Train(TokenizerTestData.LicenseParagraphs, new BpeTrainerOptions { VocabularySize = 1_000 }));

    [Fact]
    public void Training_reaches_the_requested_size_with_special_tokens_last()
    {
        var bpe = Trained.Value;
        Assert.Equal(1_000, bpe.VocabularySize);
        Assert.Equal(999, bpe.EndOfTextId);
        Assert.Equal(999, bpe.SpecialTokens["<|endoftext|>"]);
        Assert.Equal(1_000 - 256 - 1, bpe.Merges.Count);
        Assert.Equal("Ġ", bpe.Vocabulary.Single(kv => kv.Value == ' ').Key);
    }

    [Fact]
    public void The_first_merges_are_the_most_frequent_English_pairs()
    {
        var first = Trained.Value.Merges.Take(20).Select(m => m.Left + m.Right).ToList();
        Assert.Contains("Ġt", first);
        Assert.Contains("Ġthe", Trained.Value.Vocabulary.Keys);
        Assert.Contains("Ġlicense", Trained.Value.Vocabulary.Keys);
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var again = BpeTrainer.Train(TokenizerTestData.LicenseParagraphs, new BpeTrainerOptions { VocabularySize = 1_000 });
        Assert.Equal(Trained.Value.Merges, again.Merges);
        Assert.Equal(Trained.Value.Vocabulary.OrderBy(kv => kv.Value), again.Vocabulary.OrderBy(kv => kv.Value));
    }

    [Fact]
    public void Trained_tokens_compress_the_training_text()
    {
        var bpe = Trained.Value;
        long bytes = 0, tokens = 0;
        foreach (var text in TokenizerTestData.LicenseParagraphs)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(text);
            tokens += bpe.EncodeToIds(text).Count;
        }
        Assert.InRange((double)tokens / bytes, 0.1, 0.35);
    }

    [Fact]
    public void Exported_files_load_in_Microsoft_ML_Tokenizers_and_encode_identically()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var bpe = Trained.Value;
        bpe.ExportVocabularyAndMerges(folder.Path);
        var plain = BpeTokenizer.Create(new BpeOptions(folder.File("vocab.json"), folder.File("merges.txt"))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new System.Text.RegularExpressions.Regex(BpeTokenizerOptions.Gpt2PreTokenizerPattern), null),
        });

        foreach (var text in TokenizerTestData.LicenseParagraphs.Concat(TokenizerTestData.RandomUnicode(seed: 3, count: 200)))
            Assert.Equal(plain.EncodeToIds(text), bpe.EncodeToIds(text));
    }

    [Fact]
    public void Common_words_become_single_tokens()
    {
        var bpe = Trained.Value;
        foreach (var word in new[] { " the", " License", " software", " any" })
        {
            var ids = bpe.EncodeToIds(word);
            Assert.Single(ids);
            Assert.Equal(word.Replace(' ', 'Ġ'), bpe.Vocabulary.Single(kv => kv.Value == ids[0]).Key);
        }
    }

    [Fact]
    public void Decode_inverts_encode_on_random_Unicode()
    {
        var bpe = Trained.Value;
        foreach (var text in TokenizerTestData.RandomUnicode(seed: 7, count: 500))
            Assert.Equal(text, bpe.Decode(bpe.EncodeToIds(text)));
    }

    [Fact]
    public void A_saved_trained_tokenizer_reloads_without_its_training_data()
    {
        using var folder = new TokenizerTestData.TempFolder();
        var trained = BpeTrainer.Train(TokenizerTestData.LicenseParagraphs.Take(40),
            new BpeTrainerOptions { VocabularySize = 400, PaddingToken = "<|pad|>", SpecialTokens = ["<|user|>"] });
        trained.Save(folder.Path);

        var loaded = Assert.IsType<BpeLlmTokenizer>(LlmTokenizers.Load(folder.Path));
        Assert.Equal(trained.VocabularySize, loaded.VocabularySize);
        Assert.Equal(trained.SpecialTokens, loaded.SpecialTokens);
        Assert.Equal(trained.PaddingId, loaded.PaddingId);
        Assert.Equal(trained.EndOfTextId, loaded.EndOfTextId);
        foreach (var text in TokenizerTestData.LicenseParagraphs.Skip(40).Take(50).Append("<|user|>hi<|endoftext|>"))
            Assert.Equal(trained.EncodeToIds(text), loaded.EncodeToIds(text));
    }

    [Fact]
    public void Special_tokens_in_training_text_are_not_learned_as_words()
    {
        var texts = Enumerable.Repeat("<|endoftext|>aaaa bbbb<|endoftext|>", 50);
        var bpe = BpeTrainer.Train(texts, new BpeTrainerOptions { VocabularySize = 300 });
        Assert.DoesNotContain(bpe.Vocabulary.Keys, token => token.Contains('|') && token.Length > 1 && token != "<|endoftext|>");
        Assert.Equal([bpe.EndOfTextId!.Value], bpe.EncodeToIds("<|endoftext|>"));
    }

    [Fact]
    public void Training_stops_when_no_pair_is_frequent_enough()
    {
        var bpe = BpeTrainer.Train(["abc abc xyz"], new BpeTrainerOptions { VocabularySize = 1_000, MinFrequency = 2 });
        // " abc" occurs once, "abc" once: only pairs inside "abc" occur twice.
        Assert.Equal(["a b", "ab c"], bpe.Merges.Select(m => $"{m.Left} {m.Right}"));
        Assert.Equal(256 + 2 + 1, bpe.VocabularySize);
    }

    [Fact]
    public void Invalid_options_are_rejected_before_training()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(["a"], new BpeTrainerOptions { VocabularySize = 256 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(["a"], new BpeTrainerOptions { MinFrequency = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => BpeTrainer.Train(["a"], new BpeTrainerOptions { PreTokenizerPattern = "(" }));
        Assert.Throws<ArgumentNullException>(() => BpeTrainer.Train(null!));
    }

    [Fact]
    public void Empty_and_null_texts_train_a_byte_only_vocabulary()
    {
        var bpe = BpeTrainer.Train([null, "", null]);
        Assert.Empty(bpe.Merges);
        Assert.Equal(257, bpe.VocabularySize);
        Assert.Equal("héllo", bpe.Decode(bpe.EncodeToIds("héllo")));
    }

    [Fact]
    public void A_long_text_without_spaces_trains_and_round_trips()
    {
        var random = new Random(5);
        // 100,000 characters in one pre-tokenizer word, with surrogate pairs that a cut must not separate.
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(_ => random.Next(4) == 0 ? "🙂" : "abcdefgh漢字"[random.Next(10)].ToString()));
        var bpe = BpeTrainer.Train([text], new BpeTrainerOptions { VocabularySize = 600 });
        Assert.Equal(600, bpe.VocabularySize);
        var ids = bpe.EncodeToIds(text);
        Assert.True(ids.Count < text.Length / 2, $"{ids.Count} tokens for {text.Length} characters");
        Assert.Equal(text, bpe.Decode(ids));
    }
}

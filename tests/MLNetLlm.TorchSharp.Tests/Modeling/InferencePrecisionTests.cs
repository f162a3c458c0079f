using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Modeling;

public class InferencePrecisionTests
{
    private static readonly GptConfig Wide = new() { VocabularySize = 64, ContextLength = 32, EmbeddingSize = 256, Heads = 4, Layers = 1, Dropout = 0.0 };

    private static float[] Logits(GptModel model, Tensor ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.forward(ids).to(ScalarType.Float32).data<float>().ToArray();
    }

    [Fact]
    public void A_gpt_transformer_asked_for_bf16_converts_its_model_and_scores_close_to_fp32()
    {
        using var ids = randint(0, Wide.VocabularySize, [2, 24], generator: new Generator(1));
        using var reference = new GptModel(Wide, seed: 1);
        reference.eval();
        var expected = Logits(reference, ids);

        using var transformer = new GptTransformer(new GptModel(Wide, seed: 1), null, new GptTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });

        Assert.Equal(ScalarType.BFloat16, transformer.Model.Dtype);
        var actual = Logits(transformer.Model, ids);
        double scale = expected.Max(Math.Abs), error = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(error > 0 && error < 0.05 * scale, $"max error {error} against max logit {scale}");
    }

    [Fact]
    public void A_model_narrower_than_the_threshold_stays_fp32()
    {
        using var transformer = new GptTransformer(new GptModel(Wide with { EmbeddingSize = 32, Heads = 2 }, seed: 1), null,
            new GptTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });

        Assert.Equal(ScalarType.Float32, transformer.Model.Dtype);
        Assert.Equal(Precision.Fp32, InferencePrecision.Effective(Precision.Bf16, InferencePrecision.MinimumBf16Width - 1));
        Assert.Equal(Precision.Bf16, InferencePrecision.Effective(Precision.Bf16, InferencePrecision.MinimumBf16Width));
        Assert.Equal(Precision.Fp32, InferencePrecision.Effective(Precision.Fp32, 4096));
    }

    [Fact]
    public void A_classifier_transformer_asked_for_bf16_gives_probabilities_close_to_fp32()
    {
        var random = new Random(3);
        var texts = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 4 + random.Next(20)).Select(_ => random.Next(Wide.VocabularySize)).ToArray()).ToList();
        using var reference = new TextClassifier(new GptModel(Wide, seed: 1), 3, EmbeddingPooling.LastToken, seed: 2);
        var expected = reference.PredictProbabilities(texts, batchSize: 5);
        var labels = new ClassifierLabels(false, ["a", "b", "c"]);

        using var transformer = new TextClassifierTransformer(new TextClassifier(new GptModel(Wide, seed: 1), 3, EmbeddingPooling.LastToken, seed: 2), null, labels,
            new TextClassifierTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });

        Assert.Equal(ScalarType.BFloat16, transformer.Classifier.Backbone.Dtype);
        var actual = transformer.Classifier.PredictProbabilities(texts, batchSize: 5);
        for (int row = 0; row < texts.Count; row++)
            for (int c = 0; c < 3; c++)
                Assert.True(Math.Abs(expected[row][c] - actual[row][c]) < 0.02, $"row {row} class {c}: fp32 {expected[row][c]}, bf16 {actual[row][c]}");
    }

    [Fact]
    public void An_undefined_serving_precision_is_refused_by_name()
    {
        Assert.Equal("Precision", Assert.Throws<ArgumentOutOfRangeException>(() => new GptTransformerOptions { Precision = (Precision)9 }.Validate()).ParamName);
        Assert.Equal("Precision", Assert.Throws<ArgumentOutOfRangeException>(() => new TextClassifierTransformerOptions { Precision = (Precision)9 }.Validate()).ParamName);
    }
}

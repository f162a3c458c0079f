using MLNetLlm.Embeddings;
using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Llama;
using MLNetLlm.TorchSharp.Tests.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Modeling;

public class InferencePrecisionTests
{
    private static readonly GptConfig Wide = new() { VocabularySize = 64, ContextLength = 32, EmbeddingSize = 256, Heads = 4, Layers = 1, Dropout = 0.0 };
    private static readonly GptConfig Narrow = Wide with { EmbeddingSize = 32, Heads = 2 };
    private static readonly int[] Prompt = [3, 17, 5, 40, 22, 9, 31];

    private static float[] Logits(GptModel model, Tensor ids, DecoderPass pass)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = InferencePrecision.Use(model, pass);
        return model.forward(ids).to(ScalarType.Float32).data<float>().ToArray();
    }

    // bf16 products run on this thread by action.
    private static long ReducedProducts(Action action)
    {
        long before = MixedPrecision.ReducedProducts;
        action();
        return MixedPrecision.ReducedProducts - before;
    }

    [Fact]
    public void The_rule_runs_prefill_passes_in_bf16_and_cached_steps_in_fp32()
    {
        Assert.Equal(Precision.Bf16, InferencePrecision.For(DecoderPass.Prefill, Precision.Bf16));
        Assert.Equal(Precision.Fp32, InferencePrecision.For(DecoderPass.CachedStep, Precision.Bf16));
        Assert.Equal(Precision.Fp32, InferencePrecision.For(DecoderPass.Prefill, Precision.Fp32));
        Assert.Equal(Precision.Fp32, InferencePrecision.For(DecoderPass.CachedStep, Precision.Fp32));
    }

    [Fact]
    public void A_gpt_transformer_asked_for_bf16_keeps_fp32_weights_with_bf16_copies_and_scores_close_to_fp32()
    {
        using var ids = randint(0, Wide.VocabularySize, [2, 24], generator: new Generator(1));
        using var reference = new GptModel(Wide, seed: 1);
        reference.eval();
        var expected = Logits(reference, ids, DecoderPass.Prefill);

        using var transformer = new GptTransformer(new GptModel(Wide, seed: 1), null, new GptTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });

        Assert.Equal(ScalarType.Float32, transformer.Model.Dtype);
        Assert.True(InferencePrecision.ServesPrefillInBf16(transformer.Model));
        Assert.All(transformer.Model.modules().OfType<global::TorchSharp.Modules.Linear>(), linear => Assert.True(InferencePrecision.HasCopy(transformer.Model, linear.weight!)));
        float[] prefill = [], step = [];
        Assert.True(ReducedProducts(() => prefill = Logits(transformer.Model, ids, DecoderPass.Prefill)) > 0);
        Assert.Equal(0, ReducedProducts(() => step = Logits(transformer.Model, ids, DecoderPass.CachedStep)));
        double scale = expected.Max(Math.Abs), error = expected.Zip(prefill, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(error > 0 && error < 0.05 * scale, $"max error {error} against max logit {scale}");
        Assert.Equal(expected, step); // the fp32 path is the fp32 model's
    }

    [Fact]
    public void Cached_generation_of_a_bf16_served_gpt_runs_only_the_prompt_in_bf16_whatever_the_width()
    {
        var tokenizer = TinyGptTokenizer(Narrow.VocabularySize);
        using var transformer = new GptTransformer(new GptModel(Narrow, seed: 1), tokenizer, new GptTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });
        var generator = new GptGenerator(transformer.Model, tokenizer);
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 6, StopAtEndOfText = false };
        using var promptIds = tensor(Prompt.Select(i => (long)i).ToArray(), [1, Prompt.Length]);
        long onePass = ReducedProducts(() => Logits(transformer.Model, promptIds, DecoderPass.Prefill));

        long cached = ReducedProducts(() => generator.GenerateIds(Prompt, options));
        long uncached = ReducedProducts(() => generator.GenerateIds(Prompt, options with { UseKvCache = false }));

        Assert.True(onePass > 0);
        Assert.Equal(onePass, cached);       // the prompt's pass; the five cached steps after it run fp32
        Assert.Equal(6 * onePass, uncached); // without the cache every step is a pass over the whole window
    }

    [Fact]
    public void A_model_served_in_fp32_runs_no_bf16_product()
    {
        var tokenizer = TinyGptTokenizer(Narrow.VocabularySize);
        using var transformer = new GptTransformer(new GptModel(Narrow, seed: 1), tokenizer, new GptTransformerOptions { TokenColumnName = "Tokens" });
        var generator = new GptGenerator(transformer.Model, tokenizer);

        Assert.False(InferencePrecision.ServesPrefillInBf16(transformer.Model));
        Assert.Equal(0, ReducedProducts(() => generator.GenerateIds(Prompt, new GenerationOptions { Greedy = true, MaxNewTokens = 4, StopAtEndOfText = false })));
    }

    [Fact]
    public void A_llama_transformer_asked_for_bf16_serves_its_prompt_in_bf16_and_its_steps_in_fp32()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("llama", seed: 9).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var transformer = LlamaTransformer.Own(model, tokenizer, new GptTransformerOptions { PromptColumnName = "Prompt", TextColumnName = null, Precision = Precision.Bf16 });
        var generator = new LlamaGenerator(transformer.Model, tokenizer);

        Assert.Equal(ScalarType.Float32, transformer.Model.Dtype);
        Assert.True(InferencePrecision.ServesPrefillInBf16(transformer.Model));
        long cached = ReducedProducts(() => generator.GenerateIds(TinyHuggingFaceLlama.SampleIds, new GenerationOptions { Greedy = true, MaxNewTokens = 5, StopAtEndOfText = false }));
        long uncached = ReducedProducts(() => generator.GenerateIds(TinyHuggingFaceLlama.SampleIds, new GenerationOptions { Greedy = true, MaxNewTokens = 5, StopAtEndOfText = false, UseKvCache = false }));
        Assert.True(cached > 0);
        Assert.Equal(5 * cached, uncached);
    }

    [Fact]
    public void A_classifier_transformer_asked_for_bf16_is_converted_at_any_width_and_gives_probabilities_close_to_fp32()
    {
        foreach (var config in new[] { Wide, Narrow })
        {
            var random = new Random(3);
            var texts = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 4 + random.Next(20)).Select(_ => random.Next(config.VocabularySize)).ToArray()).ToList();
            using var reference = new TextClassifier(new GptModel(config, seed: 1), 3, EmbeddingPooling.LastToken, seed: 2);
            var expected = reference.PredictProbabilities(texts, batchSize: 5);
            var labels = new ClassifierLabels(false, ["a", "b", "c"]);

            using var transformer = new TextClassifierTransformer(new TextClassifier(new GptModel(config, seed: 1), 3, EmbeddingPooling.LastToken, seed: 2), null, labels,
                new TextClassifierTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });

            Assert.Equal(ScalarType.BFloat16, transformer.Classifier.Backbone.Dtype);
            var actual = transformer.Classifier.PredictProbabilities(texts, batchSize: 5);
            for (int row = 0; row < texts.Count; row++)
                for (int c = 0; c < 3; c++)
                    Assert.True(Math.Abs(expected[row][c] - actual[row][c]) < 0.02, $"width {config.EmbeddingSize}, row {row} class {c}: fp32 {expected[row][c]}, bf16 {actual[row][c]}");
        }
    }

    [Fact]
    public void Disposing_a_bf16_served_transformer_releases_its_copies()
    {
        var model = new GptModel(Narrow, seed: 1);
        var transformer = new GptTransformer(model, null, new GptTransformerOptions { TokenColumnName = "Tokens", Precision = Precision.Bf16 });
        Assert.True(InferencePrecision.ServesPrefillInBf16(model));

        transformer.Dispose();

        Assert.False(InferencePrecision.ServesPrefillInBf16(model));
    }

    [Fact]
    public void An_undefined_serving_precision_is_refused_by_name()
    {
        Assert.Equal("Precision", Assert.Throws<ArgumentOutOfRangeException>(() => new GptTransformerOptions { Precision = (Precision)9 }.Validate()).ParamName);
        Assert.Equal("Precision", Assert.Throws<ArgumentOutOfRangeException>(() => new TextClassifierTransformerOptions { Precision = (Precision)9 }.Validate()).ParamName);
    }

    // A word tokenizer with one id per model id, so the generator can run.
    private static MLNetLlm.Tokenization.LlmTokenizer TinyGptTokenizer(int size) =>
        MLNetLlm.Tokenization.LlmTokenizers.Whitespace(new MLNetLlm.Tokenization.VocabularyBuilderOptions { MaxVocabularySize = size })
            .Build([string.Join(' ', Enumerable.Range(0, size).Select(i => $"w{i}"))]);
}

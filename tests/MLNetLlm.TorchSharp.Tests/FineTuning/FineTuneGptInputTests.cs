using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Tests.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

/// <summary>How the fitted classifier reads its input: empty texts, long texts, and padded token ids with their mask.</summary>
[Collection(TrainingCollection.Name)]
public class FineTuneGptInputTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly TextClassifierTransformer _classifier;

    public FineTuneGptInputTests()
    {
        using var baseModel = TinyClassification.BaseModel();
        var options = TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst");
        options = options with { Training = options.Training with { MaxSequenceLength = 10 } };
        _classifier = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(32, seed: 1)));
    }

    public void Dispose() => _classifier.Dispose();

    [Fact]
    public void EmptyAndNullTexts_AreScoredAsTheSingleEndOfTextToken()
    {
        int endOfText = TinyGpt.Tokenizer.EndOfTextId ?? 0;
        var texts = Probabilities(_ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = null }, new TextRow { Text = "" } }));
        float expected = _classifier.Score([[endOfText]]).Probabilities[0][1];
        Assert.Equal(expected, texts[0]);
        Assert.Equal(expected, texts[1]);
        Assert.True(float.IsFinite(texts[0]));
    }

    [Fact]
    public void TextsLongerThanTheMaximumLength_KeepTheirFirstTokens()
    {
        Assert.Equal(10, _classifier.MaximumLength);
        string text = string.Join(" ", Enumerable.Repeat("the jury said the new law", 6));
        var tokens = TinyGpt.Tokenizer.EncodeToIds(text).ToArray();
        Assert.True(tokens.Length > 20);
        var fromText = Probabilities(_ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = text } }));
        Assert.Equal(_classifier.Score([tokens[..10]]).Probabilities[0][1], fromText[0]);
        Assert.NotEqual(_classifier.Score([tokens[..9]]).Probabilities[0][1], fromText[0]);
    }

    [Fact]
    public void PaddedTokenIdsWithTheirMask_ScoreAsTheText_SoPaddingNeverLeaks()
    {
        var rows = TinyClassification.Data(_ml, TinyClassification.WordOrder(12, seed: 3));
        var padded = _ml.Transforms.Llm.Tokenize("Tokens", "Text", TinyGpt.Tokenizer, padToLength: 10).Fit(rows).Transform(rows);
        using var baseModel = TinyClassification.BaseModel();
        var options = TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst") with
        {
            TextColumnName = null,
            TokenColumnName = "Tokens",
            AttentionMaskColumnName = "AttentionMask",
        };
        var estimator = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options);
        using var fromIds = EstimatorWorkout.Check(estimator, padded);

        // The same weights read the text column: identical probabilities.
        var textOptions = _classifier.Options with { TextColumnName = "Text", TokenColumnName = null, AttentionMaskColumnName = null };
        using var fromText = new TextClassifierTransformer(Copy(fromIds.Classifier), fromIds.Tokenizer, fromIds.Labels, textOptions);
        Assert.Equal(Probabilities(padded, fromIds), Probabilities(rows, fromText));
    }

    private float[] Probabilities(IDataView data, TextClassifierTransformer? model = null) =>
        [.. DataViewValues.Column<float>((model ?? _classifier).Transform(data), "Probability").Select(v => v[0])];

    private static TextClassifier Copy(TextClassifier source)
    {
        var copy = new TextClassifier(new global::MLNetLlm.TorchSharp.Modeling.GptModel(((global::MLNetLlm.TorchSharp.Modeling.GptModel)source.Backbone).Config, seed: 0), source.ClassCount, source.Pooling, seed: 0);
        using var noGrad = global::TorchSharp.torch.no_grad();
        var parameters = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in copy.named_parameters())
            parameter.copy_(parameters[name]);
        return copy;
    }

    public sealed class TextRow
    {
        public string? Text { get; set; }
    }
}

using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;

/// <summary>
/// The few-shot models SetFit is compared with, trained on the same mails: ML.NET's own text classifier, and
/// logistic-regression heads on an encoder's embeddings (the untrained MiniLM's: SetFit without its contrastive step).
/// </summary>
internal static class FewShotBaselines
{
    /// <summary><c>FeaturizeText</c> (word 1–2-grams, character 1–3-grams) + <c>SdcaLogisticRegression</c>, one thread so it is deterministic.</summary>
    public static FewShotResult FeaturizeTextSdca(MLContext ml, IReadOnlyList<Mail> train, IReadOnlyList<Mail> test, int perClass)
    {
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(Mail.Text))
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new() { NumberOfThreads = 1 }));
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(train));
        var seconds = watch.Elapsed.TotalSeconds;
        return FewShotResult.Evaluate(ml, "FeaturizeText + SDCA", perClass, model.Transform(ml.Data.LoadFromEnumerable(test)), test.Count, seconds);
    }

    /// <summary>
    /// A logistic-regression head on an encoder's embeddings, as SetFit's reference implementation trains it
    /// (scikit-learn's <c>LogisticRegression</c>: L2 only, C = 1): ML.NET's <c>LbfgsLogisticRegression</c> with
    /// <c>L1Regularization</c> 0 (ML.NET's default is 1, which on a few dozen unit-length embeddings keeps every weight
    /// at 0) and <c>L2Regularization</c> <paramref name="l2"/>, one thread. With the untrained MiniLM it is SetFit
    /// without its contrastive step. The test mails' vectors come from the caller (the untrained ones are computed
    /// once and shared by every training-set size).
    /// </summary>
    public static FewShotResult LogisticRegressionHead(MLContext ml, string name, TextEmbedder encoder, IReadOnlyList<Mail> train,
        IReadOnlyList<EmbeddedMail> test, int perClass, float l2, double encoderSeconds = 0)
    {
        var watch = Stopwatch.StartNew();
        var embedded = EmbedTest(encoder, train);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new() { L1Regularization = 0, L2Regularization = l2, NumberOfThreads = 1 });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(embedded, EmbeddedMail.Schema(encoder.Dimension)));
        var seconds = encoderSeconds + watch.Elapsed.TotalSeconds;
        return FewShotResult.Evaluate(ml, name, perClass,
            model.Transform(ml.Data.LoadFromEnumerable(test, EmbeddedMail.Schema(encoder.Dimension))), test.Count, seconds);
    }

    /// <summary>The mails' labels and their vectors from <paramref name="encoder"/>.</summary>
    public static List<EmbeddedMail> EmbedTest(TextEmbedder encoder, IReadOnlyList<Mail> mails)
    {
        var vectors = encoder.Embed(mails.Select(m => (string?)m.Text).ToList());
        return mails.Select((m, i) => new EmbeddedMail { Label = m.Label, Features = vectors[i] }).ToList();
    }
}

/// <summary>A mail as its label and its embedding.</summary>
internal sealed class EmbeddedMail
{
    public bool Label { get; set; }

    public float[] Features { get; set; } = [];

    /// <summary>The schema with the vector's size known, as ML.NET's trainers need it.</summary>
    public static SchemaDefinition Schema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(EmbeddedMail));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }
}

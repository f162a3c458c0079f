using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm;
using MLNetLlm.Embeddings;

/// <summary>
/// The few-shot models SetFit is compared with, trained on the same mails: ML.NET's own text classifier, and the
/// untrained MiniLM's embeddings under a logistic regression (SetFit without its contrastive step).
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
    /// The untrained MiniLM's embeddings + <c>LbfgsLogisticRegression</c> with SetFit's head settings (L2 1, one
    /// thread): SetFit without its contrastive step. The test mails' vectors are computed once by the caller and shared
    /// by every training-set size.
    /// </summary>
    public static FewShotResult MiniLmLogisticRegression(MLContext ml, TextEmbedder miniLm, IReadOnlyList<Mail> train,
        IReadOnlyList<EmbeddedMail> test, int perClass, float l2)
    {
        var watch = Stopwatch.StartNew();
        var vectors = miniLm.Embed(train.Select(m => (string?)m.Text).ToList());
        var embedded = train.Select((m, i) => new EmbeddedMail { Label = m.Label, Features = vectors[i] }).ToList();
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new() { L2Regularization = l2, NumberOfThreads = 1 });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(embedded, EmbeddedMail.Schema(miniLm.Dimension)));
        var seconds = watch.Elapsed.TotalSeconds;
        return FewShotResult.Evaluate(ml, "MiniLM embeddings + logistic regression (no contrastive step)", perClass,
            model.Transform(ml.Data.LoadFromEnumerable(test, EmbeddedMail.Schema(miniLm.Dimension))), test.Count, seconds);
    }

    /// <summary>Embeds the test mails once for <see cref="MiniLmLogisticRegression"/>.</summary>
    public static List<EmbeddedMail> EmbedTest(TextEmbedder miniLm, IReadOnlyList<Mail> test)
    {
        var vectors = miniLm.Embed(test.Select(m => (string?)m.Text).ToList());
        return test.Select((m, i) => new EmbeddedMail { Label = m.Label, Features = vectors[i] }).ToList();
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

using System.Diagnostics;
using Microsoft.ML;
using MLNetLlm;

/// <summary>The two models the fine-tuned GPT is compared with, both plain ML.NET trainers.</summary>
internal static class Baselines
{
    /// <summary>ML.NET's own text classifier: <c>FeaturizeText</c> (word 1–2-grams and character 1–3-grams, TF, L2) + <c>SdcaLogisticRegression</c>.</summary>
    public static ModelResult FeaturizeTextSdca(MLContext ml, IReadOnlyList<Mail> train, IReadOnlyList<Mail> test)
    {
        var pipeline = ml.Transforms.Text.FeaturizeText("Features", nameof(Mail.Text))
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(train));
        return ModelResult.Evaluate(ml, "ML.NET FeaturizeText + SDCA logistic regression", model, test, watch.Elapsed.TotalSeconds, train.Count);
    }

    /// <summary>
    /// The reference book's "embeddings + logistic regression": our <c>EmbedText</c> (all-MiniLM-L6-v2, 384 dimensions,
    /// mean-pooled, L2-normalised) of the text's first <paramref name="characters"/> characters, as features for ML.NET's
    /// <c>LbfgsLogisticRegression</c>. Embeddings are cached so the trainer's passes do not embed again; the training
    /// time includes embedding the training mails.
    /// </summary>
    public static ModelResult EmbeddingsLogisticRegression(MLContext ml, IReadOnlyList<Mail> train, IReadOnlyList<Mail> test, int characters)
    {
        // MiniLM would read up to 256 word pieces; a shorter cut halves the slowest step of the run.
        var cut = ml.Transforms.CustomMapping<Mail, CutText>((mail, row) => row.EmbeddedText = mail.Text.Length <= characters ? mail.Text : mail.Text[..characters], contractName: null);
        var pipeline = cut.Append(ml.Transforms.Llm.EmbedText("Features", nameof(CutText.EmbeddedText)))
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression());
        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(train));
        return ModelResult.Evaluate(ml, "MiniLM EmbedText + L-BFGS logistic regression", model, test, watch.Elapsed.TotalSeconds, train.Count);
    }

    private sealed class CutText
    {
        public string EmbeddedText { get; set; } = "";
    }
}

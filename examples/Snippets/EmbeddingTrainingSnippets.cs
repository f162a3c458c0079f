using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm;
using Microsoft.ML;

namespace Snippets;

internal static class EmbeddingTrainingSnippets
{
    public static void TrainSentenceEmbedder(MLContext ml, IDataView pairs, IDataView fewShots, IDataView test)
    {
        // README: Training sentence embedders and SetFit
        var embedder = ml.Transforms.Llm.TrainSentenceEmbedder("Embedding", "Question", "Answer")   // MiniLM, MNRL, batch 16
            .Fit(pairs);                                  // embeds "Question" with the trained encoder
        Console.WriteLine(string.Join(", ", embedder.Report!.EpochLosses));
        embedder.ExportToOnnx("embedder.onnx");           // for EmbedTextWithOnnx, no libtorch
        var arctic = ml.Transforms.Llm.TrainSentenceEmbedder(new TrainSentenceEmbedderOptions
        {
            BaseEncoder = PretrainedEncoders.ArcticEmbedXs(),   // copied, left unchanged
            TextColumnName = "Text", LabelColumnName = "Topic", // pairs generated from the labels
            Loss = SentenceEmbeddingLoss.CosineSimilarity,
        });

        var setFit = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Llm.SetFit("Label", "Text"))   // 8-64 examples a class
            .Fit(fewShots);
        var metrics = ml.MulticlassClassification.Evaluate(setFit.Transform(test));
        ml.Model.Llm.Save(setFit, fewShots.Schema, "setfit.zip");
        // end
        _ = (arctic, metrics);
    }
}

using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.TorchSharp;
using MLNetLlm;
using Microsoft.ML;
using MLNetLlm.Training;

namespace Snippets;

internal static class ClassificationSnippets
{
    public static void FineTune(MLContext ml, IDataView train, IDataView validation, IDataView test)
    {
        // README: Fine-tuning a classifier
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(new FineTuneGptOptions
            {
                TextColumnName = "Text",                  // tokenized with the base model's tokenizer
                ValidationSet = validation,               // validation loss each evaluation; best weights kept
                BalanceClasses = true,                    // n / (classes · count) loss weights
                Training = new ClassifierTrainingOptions { MaxEpochs = 3, Parameters = FineTuneParameters.LoRA, LoraRank = 8 },
            }))                                           // BaseModelPath null: the shipped brown-gpt
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
        ml.Model.Llm.Save(model, train.Schema, "classifier.zip");

        var spam = ml.BinaryClassification.Trainers.Llm.FineTuneGpt("IsSpam", "Body", baseModelPath: "/models/gpt2", maxEpochs: 2)
            .Fit(train);                                  // Score (log-odds), Probability, PredictedLabel
        var binary = ml.BinaryClassification.Evaluate(spam.Transform(test), "IsSpam");
        spam.Training!.History.LossCurve.SavePlot("fine-tuning.png");
        // end
        _ = binary;
    }

    public static void FineTuneEncoder(MLContext ml, IDataView train, IDataView test)
    {
        // README: Fine-tuning a pretrained encoder
        var encoder = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder("IsSpam", "Body")   // MiniLM, 2 epochs, lr 5e-5
            .Fit(train);
        var encoderMetrics = ml.BinaryClassification.Evaluate(encoder.Transform(test), "IsSpam");
        var arctic = ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder(new FineTuneEncoderOptions
        {
            BaseEncoder = PretrainedEncoders.ArcticEmbedXs(),   // CLS-pooled retrieval encoder; copied, left unchanged
            Pooling = EmbeddingPooling.FirstToken,
            Training = new ClassifierTrainingOptions { Parameters = FineTuneParameters.LoRA, LoraRank = 8, MaxSequenceLength = 128 },
        });
        // end
        _ = (encoderMetrics, arctic);
    }
}

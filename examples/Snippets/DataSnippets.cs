using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Preparation;
using MLNetLlm.Sampling;
using MLNetLlm.Tokenization;

namespace Snippets;

internal static class DataSnippets
{
    public static void Corpora(MLContext ml)
    {
        // README: Datasets
        IDataView brown = ml.Data.Llm.LoadBrownCorpus();    // Id, Genre, Text: 500 documents, 15 genres
        IDataView mail = ml.Data.Llm.LoadSpamAssassin();    // Id, Source, Subject, Text, Label (true = spam)
        IDataView wordNet = ml.Data.Llm.LoadWordNet();      // Id, PartOfSpeech, Lemmas, Gloss, Examples: 117,791 synsets
        // end
        _ = (brown, mail, wordNet);
    }

    public static void Windows(MLContext ml, IDataView brown)
    {
        // README: Next-token windows
        var split = ml.Data.Llm.SplitForLanguageModeling(brown, validationFraction: 0.1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(split.Train, "Text", LlmTokenizers.Gpt2(),
            new NextTokenWindowOptions { ContextLength = 256, Stride = 128, Shuffle = true });
        // windows: InputIds and TargetIds, known-size Int64 vectors of 256 ids, targets shifted by one
        // end
        _ = windows;
    }

    public static void Sampling(MLContext ml, IDataView mail)
    {
        // README: Sampling
        var tenPercent = ml.Data.Llm.SampleStratified(mail, "Label", fraction: 0.1);         // exact per-class counts
        var balanced = ml.Data.Llm.SampleBalanced(mail, "Label", BalancingMode.Undersample);
        var bootstrap = ml.Data.Llm.SampleBootstrap(mail);                                     // n rows with replacement
        // end
        _ = (tenPercent, balanced, bootstrap);
    }
}

namespace MLNetLlm.Tests.Embeddings;

/// <summary>Hand-written paraphrase pairs on unrelated topics: each sentence's paraphrase should be its nearest neighbour.</summary>
internal static class SentencePairs
{
    public static readonly (string, string)[] Paraphrases =
    [
        ("A man is playing a guitar.", "Someone is strumming a guitar."),
        ("The cat is sleeping on the sofa.", "A kitten naps on the couch."),
        ("How do I reset my password?", "I forgot my password, how can I change it?"),
        ("The stock market fell sharply today.", "Share prices dropped steeply this afternoon."),
        ("It is raining heavily outside.", "There is a downpour outside right now."),
        ("She cooked pasta for dinner.", "She made spaghetti for her evening meal."),
        ("The train to London is delayed.", "The London train is running late."),
        ("Doctors recommend drinking more water.", "Physicians advise people to stay hydrated."),
    ];

    public static string[] All => [.. Paraphrases.SelectMany(p => new[] { p.Item1, p.Item2 })];
}

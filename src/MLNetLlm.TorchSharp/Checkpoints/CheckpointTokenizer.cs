using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>Checks a tokenizer given by the user against the one saved with a checkpoint.</summary>
internal static class CheckpointTokenizer
{
    private const string Probe = "The quick brown fox jumps over the lazy dog; 1961, \"Fulton County\" said. Free money!!! Click here: http://spam.example/win";

    /// <summary>
    /// Whether <paramref name="a"/> and <paramref name="b"/> give the same ids for a probe text of words, punctuation,
    /// digits, quotes and a URL: tokenizers of different vocabularies disagree on it.
    /// </summary>
    public static bool SameIds(LlmTokenizer a, LlmTokenizer b) => a.EncodeToIds(Probe).SequenceEqual(b.EncodeToIds(Probe));
}

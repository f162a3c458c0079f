using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>Checks a tokenizer given by the user against the one saved with a checkpoint.</summary>
internal static class CheckpointTokenizer
{
    private const string Probe = "The quick brown fox jumps over the lazy dog; 1961, \"Fulton County\" said. Free money!!! Click here: http://spam.example/win";

    /// <summary>
    /// Whether a model trained with <paramref name="a"/> can read ids from <paramref name="b"/>: every id means the same
    /// text in both (the vocabulary fingerprint, <see cref="TokenizerFingerprint"/>), and both encode a probe text of
    /// words, punctuation, digits, quotes and a URL to the same ids (which catches a vocabulary read with other rules,
    /// such as lower-casing or other merges).
    /// </summary>
    public static bool Matches(LlmTokenizer a, LlmTokenizer b) =>
        ReferenceEquals(a, b)
        || (a.VocabularySize == b.VocabularySize
            && a.EncodeToIds(Probe).SequenceEqual(b.EncodeToIds(Probe))
            && TokenizerFingerprint.Of(a) == TokenizerFingerprint.Of(b));
}

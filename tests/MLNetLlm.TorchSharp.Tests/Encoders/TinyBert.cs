using MLNetLlm.TorchSharp.Embeddings;
using System.Text.Json.Nodes;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

/// <summary>
/// A tiny BERT (<see cref="BertConfig.Tiny"/>, vocabulary of 100 word pieces) and a Hugging Face folder of it, written
/// by the test itself with the core safetensors writer and hand-written JSON, never through the code under test.
/// </summary>
internal static class TinyBert
{
    public static BertConfig Config => BertConfig.Tiny;

    /// <summary>100 word pieces: BERT's specials at their usual ids' order, then words, letters and continuations.</summary>
    public static string[] Vocabulary { get; } =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "?", "!", "'",
        .. "the an is are was were of to and in on at it this that cat dog sat mat ran fast slow red blue sky sun rain day night man woman plays guitar music reads book cats dogs".Split(' '),
        .. Enumerable.Range('a', 26).Select(c => ((char)c).ToString()),
        .. Enumerable.Range('a', 26).Select(c => "##" + (char)c),
    ];

    public static long[,] SampleIds { get; } = { { 2, 10, 25, 26, 14, 10, 28, 5, 3, 0, 0 }, { 2, 10, 24, 26, 10, 32, 3, 0, 0, 0, 0 } };

    public static BertModel Model(ulong seed) => new(Config, seed: seed);

    /// <summary>The model's tensors by Hugging Face name, as row-major floats with their shapes.</summary>
    public static List<(string Name, long[] Shape, float[] Values)> Tensors(BertModel model) =>
        [.. model.named_parameters().Select(p => (p.name, p.parameter.shape, p.parameter.detach().cpu().data<float>().ToArray()))];

    /// <summary>Writes config.json, vocab.txt and model.safetensors (names with <paramref name="prefix"/>), plus what real
    /// checkpoints hold beside the encoder when <paramref name="withExtras"/>: position ids, a pooler, a pre-training head.</summary>
    public static void WriteFolder(BertModel model, string folder, string prefix = "", bool withExtras = false, Action<JsonObject>? editConfig = null)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["model_type"] = "bert",
            ["vocab_size"] = model.Config.VocabularySize,
            ["hidden_size"] = model.Config.HiddenSize,
            ["num_hidden_layers"] = model.Config.Layers,
            ["num_attention_heads"] = model.Config.Heads,
            ["intermediate_size"] = model.Config.IntermediateSize,
            ["hidden_act"] = "gelu",
            ["max_position_embeddings"] = model.Config.MaxPositions,
            ["type_vocab_size"] = model.Config.TypeVocabularySize,
            ["layer_norm_eps"] = model.Config.LayerNormEpsilon,
            ["hidden_dropout_prob"] = 0.1,
            ["attention_probs_dropout_prob"] = 0.1,
            ["initializer_range"] = 0.02,
            ["pad_token_id"] = 0,
            ["position_embedding_type"] = "absolute",
        };
        editConfig?.Invoke(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), Vocabulary);

        var entries = Tensors(model).Select(t => SafetensorsEntry.FromSingles(prefix + t.Name, t.Values, t.Shape)).ToList();
        if (withExtras)
        {
            int c = model.Config.HiddenSize;
            entries.Add(SafetensorsEntry.FromSingles(prefix + "pooler.dense.weight", new float[c * c], [c, c]));
            entries.Add(SafetensorsEntry.FromSingles(prefix + "pooler.dense.bias", new float[c], [c]));
            entries.Add(SafetensorsEntry.FromSingles("cls.predictions.bias", new float[model.Config.VocabularySize], [model.Config.VocabularySize]));
            entries.Add(new SafetensorsEntry(prefix + "embeddings.position_ids", SafetensorsDType.I64, [1, model.Config.MaxPositions],
                stream => stream.Write(new byte[8 * model.Config.MaxPositions])));
        }
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), entries);
    }

    /// <summary>The last hidden states of <see cref="SampleIds"/> (padded with 0 on the right) under their mask.</summary>
    public static float[] Hidden(BertModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var ids = tensor(SampleIds);          // (2, 11)
        var mask = ids.ne(0).to(ScalarType.Int64); // (2, 11)
        return model.ForwardHidden(ids, mask).data<float>().ToArray();
    }
}

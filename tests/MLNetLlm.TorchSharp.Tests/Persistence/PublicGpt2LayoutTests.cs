using System.Text.Json;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

/// <summary>
/// The layout of the public <c>gpt2</c> checkpoint, at full size: its config.json verbatim, and a model.safetensors
/// with its tensor names, shapes and dtypes (including the 1024 x 1024 <c>attn.bias</c> mask buffers). The data is a
/// sparse file of zeros, so the test needs no download and almost no disk.
/// </summary>
public class PublicGpt2LayoutTests
{
    private const string Gpt2Config = """
        {
          "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
          "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
          "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
          "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null,
          "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index",
          "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
          "vocab_size": 50257
        }
        """;

    [Fact]
    public void The_public_gpt2_config_reads_as_gpt2_small()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("config.json"), Gpt2Config);

        Assert.Equal(GptConfig.Gpt2Small, HuggingFaceGpt2Config.Read(folder.Path));
    }

    [Fact]
    public void A_checkpoint_in_the_public_gpt2_layout_loads_into_gpt2_small()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("config.json"), Gpt2Config);
        WriteSparseWeights(folder.File("model.safetensors"), Gpt2Tensors());

        using var model = HuggingFaceGpt2.Load(folder.Path);
        using var scope = NewDisposeScope();
        var logits = model.forward(tensor(new long[] { 464, 2068, 7586 }, [1, 3]));

        Assert.Equal(124_439_808, model.ParameterCount);
        Assert.Equal([1L, 3L, 50257L], logits.shape);
        Assert.Equal(0f, logits.abs().max().item<float>()); // zero weights: every LayerNorm outputs 0
    }

    private static IEnumerable<(string Name, long[] Shape)> Gpt2Tensors()
    {
        yield return ("wte.weight", [50257, 768]);
        yield return ("wpe.weight", [1024, 768]);
        for (int i = 0; i < 12; i++)
        {
            yield return ($"h.{i}.ln_1.weight", [768]);
            yield return ($"h.{i}.ln_1.bias", [768]);
            yield return ($"h.{i}.attn.bias", [1, 1, 1024, 1024]);
            yield return ($"h.{i}.attn.c_attn.weight", [768, 2304]);
            yield return ($"h.{i}.attn.c_attn.bias", [2304]);
            yield return ($"h.{i}.attn.c_proj.weight", [768, 768]);
            yield return ($"h.{i}.attn.c_proj.bias", [768]);
            yield return ($"h.{i}.ln_2.weight", [768]);
            yield return ($"h.{i}.ln_2.bias", [768]);
            yield return ($"h.{i}.mlp.c_fc.weight", [768, 3072]);
            yield return ($"h.{i}.mlp.c_fc.bias", [3072]);
            yield return ($"h.{i}.mlp.c_proj.weight", [3072, 768]);
            yield return ($"h.{i}.mlp.c_proj.bias", [768]);
        }
        yield return ("ln_f.weight", [768]);
        yield return ("ln_f.bias", [768]);
    }

    /// <summary>A safetensors header for F32 tensors, then a data section extended to its length without writing it.</summary>
    private static void WriteSparseWeights(string path, IEnumerable<(string Name, long[] Shape)> tensors)
    {
        using var json = new MemoryStream();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            writer.WriteString("format", "pt");
            writer.WriteEndObject();
            foreach (var (name, shape) in tensors)
            {
                long bytes = shape.Aggregate(4L, (product, dimension) => product * dimension);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (long dimension in shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }
        using var file = new FileStream(path, FileMode.CreateNew);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json.ToArray());
        file.SetLength(file.Length + offset);
    }
}

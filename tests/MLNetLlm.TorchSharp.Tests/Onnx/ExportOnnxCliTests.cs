using MLNetLlm.Cli;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class ExportOnnxCliTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ExportOnnx_OfTheShippedBrownGpt_MatchesTorchSharpOnRealText()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("brown.onnx");
        var (code, output, error) = await Run("export-onnx", "-o", path);
        Assert.True(code == 0, error);
        Assert.Contains("GptLogits", output);
        Assert.Contains("in  input_ids: int64 [batch, sequence]", output);

        var checkpoint = GptCheckpoint.Load(GptModels.BrownPath);
        using var model = checkpoint.Model;
        model.eval();
        var tokenizer = checkpoint.Tokenizer!;
        // Two real sentences, the shorter one left padded, as a generator batches prompts.
        var rows = new[] { "The jury said the election was conducted fairly.", "It rained." }.Select(t => tokenizer.EncodeToIds(t).Select(i => (long)i).ToArray()).ToArray();
        int time = rows.Max(r => r.Length);
        var ids = new long[2 * time];
        var mask = new long[2 * time];
        for (int row = 0; row < 2; row++)
        {
            rows[row].CopyTo(ids, row * time + time - rows[row].Length);
            Array.Fill(mask, 1L, row * time + time - rows[row].Length, rows[row].Length);
        }
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = Parity.Floats(model.Forward(tensor(ids, [2, time]), tensor(mask, [2, time])));
        using var onnx = new OnnxRun(path);
        var logits = onnx.Run((LlmOnnxNames.InputIds, ids, [2, time]), (LlmOnnxNames.AttentionMask, mask, [2, time]))[LlmOnnxNames.Logits].Values;
        int vocabulary = model.Config.VocabularySize;
        Parity.AssertClose(Parity.RealRows(expected, mask, vocabulary), Parity.RealRows(logits, mask, vocabulary), "brown-gpt logits");

        var metadata = LlmOnnxMetadata.FromProperties(onnx.Session.ModelMetadata.CustomMetadataMap, path);
        Assert.Equal(model.Config.ContextLength, metadata.ContextLength);
        metadata.CheckTokenizer(tokenizer);
    }

    [Fact]
    public async Task ExportOnnx_WithPastAndEmbedderKinds_WriteTheirSignatures()
    {
        using var folder = new TemporaryFolder();
        var (past, pastOutput, pastError) = await Run("export-onnx", "--kind", "with-past", "--weights", "int8", "-o", folder.File("past.onnx"));
        Assert.True(past == 0, pastError);
        Assert.Contains("present.3.value", pastOutput);
        var (embedder, embedderOutput, embedderError) = await Run("export-onnx", "-m", GptModels.BrownPath, "-k", "embedder", "--pooling", "last", "--no-normalize", "-o", folder.File("embedder.onnx"));
        Assert.True(embedder == 0, embedderError);
        Assert.Contains("out embedding: float [batch, 192]", embedderOutput);
        var metadata = LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(OnnxInspection.Read(folder.File("embedder.onnx"))), "embedder.onnx");
        Assert.Equal(("LastToken", false), (metadata.Pooling, metadata.Normalized));
    }

    [Fact]
    public async Task ExportOnnx_HasHelp()
    {
        var (code, output, _) = await Run("export-onnx", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--kind", output);
        Assert.Contains("--weights", output);
    }

    [Theory]
    [InlineData("--output", "export-onnx")]
    [InlineData("does not exist", "export-onnx", "-m", "/no/such/model", "-o", "x.onnx")]
    [InlineData("logits", "export-onnx", "-k", "pictures", "-o", "x.onnx")]
    [InlineData("pass its .zip with --model", "export-onnx", "-k", "classifier", "-o", "x.onnx")]
    public async Task ExportOnnx_BadArguments_ExitWith2AndSayWhy(string expected, params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task ExportOnnx_ToAnUnwritablePath_ExitsWith2_AndKeepsWhatWasThere()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("a-file"), "keep me");
        var (code, _, error) = await Run("export-onnx", "-o", Path.Combine(folder.File("a-file"), "brown.onnx"));
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("Cannot write the ONNX model", error);
        Assert.Equal("keep me", File.ReadAllText(folder.File("a-file")));
    }
}

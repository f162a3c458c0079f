using System.Diagnostics;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// The production path never loads TorchSharp: models exported here are scored by examples/OnnxScoring/Score, a
/// program that references only the core package, in its own process, which reports the TorchSharp assemblies it
/// loaded and the libtorch libraries mapped into it.
/// </summary>
public class ScoringWithoutTorchSharpTests
{
    [Fact]
    public async Task CoreOnlyScorer_GeneratesAndEmbeds_WithoutLoadingTorchSharpOrLibtorch()
    {
        using var folder = new TemporaryFolder();
        using (var model = new GptModel(TinyGpt.Config, seed: 2))
        {
            OnnxExporter.Export(model, TinyGpt.Tokenizer, folder.File("gpt-with-past.onnx"), new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
            OnnxExporter.ExportEmbedder(model, TinyGpt.Tokenizer, EmbeddingPooling.Mean, normalize: true, folder.File("embedder.onnx"));
        }

        var start = new ProcessStartInfo("dotnet", [ScorerPath(), folder.Path]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"The scorer exited with {process.ExitCode}:\n{output}\n{await errors}");
        Assert.Contains("greedy:", output);
        Assert.Contains("cosine similarity", output);
        Assert.Contains("TorchSharp assemblies loaded: 0; libtorch libraries mapped: 0", output);
    }

    [Fact]
    public void CoreOnlyScorer_DependsOnNoTorchSharpPackage()
    {
        var deps = File.ReadAllText(Path.ChangeExtension(ScorerPath(), ".deps.json"));
        Assert.Contains("Microsoft.ML.OnnxRuntime", deps);
        Assert.DoesNotContain("TorchSharp", deps, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("libtorch", deps, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheCheck_SeesTorchSharp_WhereItIsLoaded()
    {
        // The scorer's detection, run in this test process, which does use TorchSharp: it must find it.
        using var model = new GptModel(TinyGpt.Config, seed: 2);
        Assert.Contains(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name!.Contains("Torch", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.Contains("libtorch", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The scorer built beside this test assembly (same configuration), found from the repository root.</summary>
    private static string ScorerPath()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // .../bin/<Configuration>/<tfm>
        var root = baseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MLNetLlm.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var path = Path.Combine(root!.FullName, "examples", "OnnxScoring", "Score", "bin", baseDirectory.Parent!.Name, baseDirectory.Name, "OnnxScoring.Score.dll");
        Assert.True(File.Exists(path), $"The scorer is not built at {path}.");
        return path;
    }
}

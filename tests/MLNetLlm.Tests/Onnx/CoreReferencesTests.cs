using MLNetLlm.Onnx;

namespace MLNetLlm.Tests.Onnx;

/// <summary>The scoring package must not bring libtorch: MLNetLlm.dll references no TorchSharp assembly.</summary>
public class CoreReferencesTests
{
    [Fact]
    public void CoreAssembly_ReferencesNoTorchSharp()
    {
        var references = typeof(LlmOnnxModel).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        Assert.DoesNotContain(references, name => name.Contains("Torch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CoreDependencies_HoldNoTorchSharpPackage()
    {
        // The deps file lists every package the core assembly pulls in, transitively.
        var deps = Path.Combine(AppContext.BaseDirectory, "MLNetLlm.Tests.deps.json");
        var text = File.ReadAllText(deps);
        Assert.Contains("Microsoft.ML.OnnxRuntime", text);
        Assert.DoesNotContain("TorchSharp", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("libtorch", text, StringComparison.OrdinalIgnoreCase);
    }
}

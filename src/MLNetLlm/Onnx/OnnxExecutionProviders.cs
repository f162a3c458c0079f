using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace MLNetLlm.Onnx;

/// <summary>
/// Appends the execution provider a scorer asks for to its session options, falling back to the CPU (with a message)
/// when the app's ONNX Runtime package does not carry it: the CPU package (Microsoft.ML.OnnxRuntime) has no CUDA.
/// </summary>
internal static class OnnxExecutionProviders
{
    /// <summary>The default: ONNX Runtime's CPU provider, always present.</summary>
    public const string Cpu = "CPU";

    /// <summary>Throws when <paramref name="provider"/> is not a name.</summary>
    public static void Validate(string? provider, string argument)
    {
        if (string.IsNullOrWhiteSpace(provider))
            throw new ArgumentException($"{argument} must name an execution provider (\"{Cpu}\", \"CUDA\", ...), not be empty.", argument);
    }

    /// <summary>
    /// Appends <paramref name="provider"/> ("CPU", "CUDA", "TensorRT", or a name ONNX Runtime's generic
    /// <c>AppendExecutionProvider</c> knows) to <paramref name="options"/>.
    /// </summary>
    /// <returns>Null when the provider was appended (or is the CPU); else the message saying why the CPU is used.</returns>
    public static string? Append(SessionOptions options, string provider)
    {
        if (string.Equals(provider, Cpu, StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            if (string.Equals(provider, "CUDA", StringComparison.OrdinalIgnoreCase))
                options.AppendExecutionProvider_CUDA(0);
            else if (string.Equals(provider, "TensorRT", StringComparison.OrdinalIgnoreCase))
                options.AppendExecutionProvider_Tensorrt(0);
            else
                options.AppendExecutionProvider(provider);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or NotSupportedException or ArgumentException)
        {
            var message = $"The ONNX Runtime execution provider '{provider}' is not available ({e.Message.Trim()}); scoring on the CPU instead. " +
                "Reference the ONNX Runtime package that carries it (for CUDA, Microsoft.ML.OnnxRuntime.Gpu.Linux or .Gpu.Windows) to use it.";
            Trace.TraceWarning(message);
            return message;
        }
    }
}

using System.Runtime.InteropServices;
using MLNetLlm.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Moves tensor data between memory-mapped safetensors files and torch tensors in chunks, converting F16/BF16/F64 to
/// float32 on the way, so loading holds one copy of the weights (the model's) plus at most one tensor being transposed.
/// </summary>
internal static class TorchSafetensors
{
    /// <summary>Elements converted per step: bounds the temporary memory a conversion needs.</summary>
    private const int ChunkElements = 1 << 20;

    /// <summary>
    /// Copies the checkpoint tensor into <paramref name="target"/> (whose shape the caller has checked). When
    /// <paramref name="transposed"/>, the checkpoint holds the 2-D transpose of the target (Conv1D against Linear).
    /// </summary>
    public static void CopyInto(Tensor target, SafetensorsReader file, SafetensorsTensorInfo info, bool transposed)
    {
        using var noGrad = no_grad();
        if (!transposed && target.device_type == DeviceType.CPU && target.dtype == ScalarType.Float32 && target.is_contiguous())
        {
            Fill(target, file, info);
            return;
        }
        using var staging = empty(info.Shape.ToArray(), ScalarType.Float32);
        Fill(staging, file, info);
        if (transposed)
        {
            using var view = staging.t();
            target.copy_(view);
        }
        else
        {
            target.copy_(staging);
        }
    }

    /// <summary>A safetensors entry that streams <paramref name="tensor"/> as <paramref name="dtype"/>, transposing a 2-D tensor when asked.</summary>
    public static SafetensorsEntry Entry(string name, Tensor tensor, SafetensorsDType dtype, bool transposed)
    {
        var shape = transposed ? new[] { tensor.shape[1], tensor.shape[0] } : tensor.shape;
        return new SafetensorsEntry(name, dtype, shape, stream => Write(stream, tensor, dtype, transposed));
    }

    private static void Fill(Tensor float32Contiguous, SafetensorsReader file, SafetensorsTensorInfo info)
    {
        using var flat = float32Contiguous.view(-1);
        int elementSize = info.DType.ElementSize();
        for (long start = 0; start < info.ElementCount; start += ChunkElements)
        {
            int count = (int)Math.Min(ChunkElements, info.ElementCount - start);
            using var part = flat.narrow(0, start, count);
            SafetensorsFloats.ToSingle(file.GetBytes(info, start * elementSize, count * elementSize), info.DType, MemoryMarshal.Cast<byte, float>(part.bytes));
        }
    }

    private static void Write(Stream stream, Tensor tensor, SafetensorsDType dtype, bool transposed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var source = tensor.detach();
        if (transposed) source = source.t();
        source = source.to(ScalarType.Float32, CPU).contiguous().view(-1);
        var buffer = new byte[(int)Math.Min(ChunkElements, Math.Max(1, source.shape[0])) * dtype.ElementSize()];
        for (long start = 0; start < source.shape[0]; start += ChunkElements)
        {
            int count = (int)Math.Min(ChunkElements, source.shape[0] - start);
            var part = source.narrow(0, start, count);
            var bytes = buffer.AsSpan(0, count * dtype.ElementSize());
            SafetensorsFloats.FromSingle(MemoryMarshal.Cast<byte, float>(part.bytes), dtype, bytes);
            stream.Write(bytes);
        }
    }
}

using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNetLlm.Persistence;

/// <summary>Converts the float dtypes of safetensors (F16, BF16, F32, F64, little-endian bytes) to and from <see cref="float"/>.</summary>
public static class SafetensorsFloats
{
    /// <summary>Reads <paramref name="destination"/>.Length values of <paramref name="dtype"/> from <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The dtype is not a float type, or <paramref name="source"/> does not hold exactly that many values.</exception>
    public static void ToSingle(ReadOnlySpan<byte> source, SafetensorsDType dtype, Span<float> destination)
    {
        CheckSizes(source.Length, dtype, destination.Length);
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDType.BF16:
                var halves = MemoryMarshal.Cast<byte, ushort>(source);
                for (int i = 0; i < halves.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(halves[i] << 16);
                break;
            case SafetensorsDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(source);
                for (int i = 0; i < doubles.Length; i++)
                    destination[i] = (float)doubles[i];
                break;
        }
    }

    /// <summary>Writes <paramref name="source"/> as <paramref name="dtype"/> into <paramref name="destination"/>, rounding to nearest even.</summary>
    /// <exception cref="ArgumentException">The dtype is not a float type, or <paramref name="destination"/> is not exactly the size needed.</exception>
    public static void FromSingle(ReadOnlySpan<float> source, SafetensorsDType dtype, Span<byte> destination)
    {
        CheckSizes(destination.Length, dtype, source.Length);
        switch (dtype)
        {
            case SafetensorsDType.F32:
                source.CopyTo(MemoryMarshal.Cast<byte, float>(destination));
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case SafetensorsDType.BF16:
                var halves = MemoryMarshal.Cast<byte, ushort>(destination);
                for (int i = 0; i < source.Length; i++)
                    halves[i] = ToBFloat16(source[i]);
                break;
            case SafetensorsDType.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(destination);
                for (int i = 0; i < source.Length; i++)
                    doubles[i] = source[i];
                break;
        }
    }

    /// <summary>Rounds a float to bfloat16 (nearest, ties to even), keeping NaN a NaN.</summary>
    internal static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    private static void CheckSizes(int byteLength, SafetensorsDType dtype, int floatCount)
    {
        if (!dtype.IsConvertibleFloat())
            throw new ArgumentException($"{dtype} is not a float type that converts to float32.", nameof(dtype));
        if ((long)floatCount * dtype.ElementSize() != byteLength)
            throw new ArgumentException($"{byteLength} bytes of {dtype} do not hold {floatCount} values.");
    }
}

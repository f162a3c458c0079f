using MLNetLlm.Persistence;

namespace MLNetLlm.Tests.Persistence;

public class SafetensorsFloatsTests
{
    private static readonly float[] Values = [0f, -0f, 1f, -2.5f, 3.140625f, 65504f, 1e-3f, float.PositiveInfinity, float.NegativeInfinity];

    [Theory]
    [InlineData(SafetensorsDType.F32)]
    [InlineData(SafetensorsDType.F64)]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void Values_round_trip_within_the_precision_of_the_dtype(SafetensorsDType dtype)
    {
        var bytes = new byte[Values.Length * dtype.ElementSize()];
        var back = new float[Values.Length];

        SafetensorsFloats.FromSingle(Values, dtype, bytes);
        SafetensorsFloats.ToSingle(bytes, dtype, back);

        double relative = dtype switch { SafetensorsDType.F16 => 1e-3, SafetensorsDType.BF16 => 8e-3, _ => 0 };
        for (int i = 0; i < Values.Length; i++)
        {
            if (float.IsInfinity(Values[i])) Assert.Equal(Values[i], back[i]);
            else Assert.True(Math.Abs(back[i] - Values[i]) <= relative * Math.Abs(Values[i]), $"{dtype}: {Values[i]} came back as {back[i]}");
        }
    }

    [Fact]
    public void BFloat16_uses_the_upper_bits_and_rounds_to_nearest_even()
    {
        Assert.Equal(0x3F80, SafetensorsFloats.ToBFloat16(1f));
        // 1 + 2^-8 lies exactly between two bfloat16 values: ties go to the even mantissa (1.0).
        Assert.Equal(0x3F80, SafetensorsFloats.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808000)));
        // 1 + 3 * 2^-8 lies between 0x3F81 and 0x3F82: ties go to the even one (0x3F82).
        Assert.Equal(0x3F82, SafetensorsFloats.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F818000)));
        Assert.True(float.IsNaN(BitConverter.Int32BitsToSingle(SafetensorsFloats.ToBFloat16(float.NaN) << 16)));
    }

    [Fact]
    public void Integer_dtypes_and_wrong_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsFloats.ToSingle(new byte[8], SafetensorsDType.I32, new float[2]));
        Assert.Throws<ArgumentException>(() => SafetensorsFloats.ToSingle(new byte[6], SafetensorsDType.F32, new float[2]));
    }
}

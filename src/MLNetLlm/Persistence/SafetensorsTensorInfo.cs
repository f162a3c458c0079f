namespace MLNetLlm.Persistence;

/// <summary>One tensor of a safetensors file, as its header describes it.</summary>
/// <param name="Name">The tensor's name, such as <c>h.0.attn.c_attn.weight</c>.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its dimensions, outermost first; empty for a scalar.</param>
/// <param name="DataBegin">Offset of its first byte, counted from the start of the data section.</param>
/// <param name="DataEnd">Offset one past its last byte, counted from the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>The number of bytes the tensor's data takes.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as <c>[768, 2304]</c>, for messages.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape as <c>[768, 2304]</c>.</summary>
    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}

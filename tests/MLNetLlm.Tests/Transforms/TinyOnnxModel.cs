namespace MLNetLlm.Tests.Transforms;

/// <summary>
/// Writes a one-node ONNX model by hand (the protobuf wire format of onnx.proto, no tooling): <c>Masked = Tokens *
/// AttentionMask</c> over Int64 tensors of shape [length], the inputs a padded Tokenize transform gives.
/// </summary>
internal static class TinyOnnxModel
{
    private const int Int64ElementType = 7; // TensorProto.DataType.INT64

    public static byte[] MaskedTokens(int length)
    {
        var node = Message(Text(1, "Tokens"), Text(1, "AttentionMask"), Text(2, "Masked"), Text(3, "mask"), Text(4, "Mul"));
        var graph = Message(Field(1, node), Text(2, "masked_tokens"),
            Field(11, Tensor("Tokens", length)), Field(11, Tensor("AttentionMask", length)), Field(12, Tensor("Masked", length)));
        var opset = Message(Text(1, ""), Varint(2, 13));
        return Message(Varint(1, 8), Field(7, graph), Field(8, opset)); // ir_version 8, graph, opset 13
    }

    // ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type, shape: { dim { dim_value } } } } }
    private static byte[] Tensor(string name, int length) =>
        Message(Text(1, name), Field(2, Message(Field(1, Message(Varint(1, Int64ElementType), Field(2, Message(Field(1, Message(Varint(1, length))))))))));

    private static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    private static byte[] Text(int field, string value) => Field(field, System.Text.Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int field, byte[] content) => [.. Encode((ulong)(field << 3 | 2)), .. Encode((ulong)content.Length), .. content];

    private static byte[] Varint(int field, long value) => [.. Encode((ulong)(field << 3)), .. Encode((ulong)value)];

    private static byte[] Encode(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}

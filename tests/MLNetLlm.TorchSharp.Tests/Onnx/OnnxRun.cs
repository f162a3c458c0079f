using Microsoft.ML.OnnxRuntime;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

/// <summary>An ONNX Runtime session over an exported model, fed with plain arrays, for the parity tests.</summary>
internal sealed class OnnxRun : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRun(string path) => _session = new InferenceSession(path);

    public InferenceSession Session => _session;

    /// <summary>Runs the model and returns every output as (values, shape).</summary>
    public Dictionary<string, (float[] Values, long[] Shape)> Run(params (string Name, Array Values, long[] Shape)[] inputs)
    {
        var values = new Dictionary<string, OrtValue>();
        try
        {
            foreach (var (name, data, shape) in inputs)
                values[name] = data switch
                {
                    long[] longs => OrtValue.CreateTensorValueFromMemory(longs, shape),
                    float[] floats => OrtValue.CreateTensorValueFromMemory(floats, shape),
                    _ => throw new ArgumentException($"Unsupported input type {data.GetType()}."),
                };
            var names = _session.OutputNames;
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, values, names);
            return names.Zip(outputs).ToDictionary(
                o => o.First,
                o => (o.Second.GetTensorDataAsSpan<float>().ToArray(), o.Second.GetTensorTypeAndShape().Shape));
        }
        finally
        {
            foreach (var value in values.Values) value.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}

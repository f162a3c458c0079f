using Google.Protobuf;
using Onnx;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// Writes an ONNX model so that a failure leaves what was at the path untouched: the model (and its external data
/// file, when the weights are too large for one protobuf) goes to temporary files in the same folder, moved into place
/// only once complete.
/// </summary>
internal static class OnnxModelFile
{
    /// <summary>Initializers smaller than this stay inside the model even when the rest goes to external data.</summary>
    private const int SmallInitializerBytes = 1024;

    /// <summary>The name of the external data file of the model at <paramref name="modelPath"/>.</summary>
    public static string DataFileName(string modelPath) => Path.GetFileName(modelPath) + ".data";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>; weights go to external data above <paramref name="externalDataThreshold"/> bytes.</summary>
    /// <returns>Whether the weights were written to an external data file.</returns>
    /// <exception cref="IOException">The path cannot be written (the message says why); nothing there was changed.</exception>
    public static bool Write(ModelProto model, string path, long initializerBytes, long externalDataThreshold)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            throw new IOException($"Cannot write the ONNX model to {fullPath}: it is a folder. Give a file path such as model.onnx.");
        string folder = Path.GetDirectoryName(fullPath)!;
        string stamp = $".tmp-{Guid.NewGuid():N}";
        string tempModel = fullPath + stamp;
        string dataPath = Path.Combine(folder, DataFileName(fullPath));
        string tempData = dataPath + stamp;
        bool external = initializerBytes > externalDataThreshold;
        try
        {
            Directory.CreateDirectory(folder);
            if (external) MoveWeightsOut(model, tempData, DataFileName(fullPath));
            using (var stream = new FileStream(tempModel, FileMode.CreateNew, FileAccess.Write))
                model.WriteTo(stream);
            if (external) File.Move(tempData, dataPath, overwrite: true);
            File.Move(tempModel, fullPath, overwrite: true);
            return external;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(tempModel);
            DeleteQuietly(tempData);
            throw new IOException($"Cannot write the ONNX model to {fullPath}: {e.Message}", e);
        }
        catch
        {
            DeleteQuietly(tempModel);
            DeleteQuietly(tempData);
            throw;
        }
    }

    // ONNX external data: each large initializer's bytes go to one file, referenced by location, offset and length.
    private static void MoveWeightsOut(ModelProto model, string dataPath, string location)
    {
        using var data = new FileStream(dataPath, FileMode.CreateNew, FileAccess.Write);
        foreach (var tensor in model.Graph.Initializer)
        {
            if (tensor.RawData.Length < SmallInitializerBytes) continue;
            long offset = data.Position;
            data.Write(tensor.RawData.Span);
            tensor.RawData = ByteString.Empty;
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (data.Position - offset).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder itself was not writable: there is nothing of ours to remove.
        }
    }
}

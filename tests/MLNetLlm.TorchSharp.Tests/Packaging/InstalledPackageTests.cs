using System.Diagnostics;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.ML.OnnxRuntime;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Native;
using MLNetLlm.TorchSharp.Tests.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Packaging;

/// <summary>
/// What someone who installs MLNetLlm.TorchSharp from NuGet gets: the libraries are packed (from the builds beside
/// this test) to a local folder feed under a version of this run, and a fresh console project, outside the
/// repository, references the package by version, restores from that feed and the usual source, builds and runs.
/// The machine's package cache is reused (libtorch is not downloaded again); this run's MLNetLlm entries are removed
/// from it afterwards.
/// </summary>
public class InstalledPackageTests
{
    private static readonly string[] PackedProjects = ["MLNetLlm", "MLNetLlm.Models", "MLNetLlm.TorchSharp"];
    private const string Prompt = "The jury said";

    [Fact]
    public async Task A_console_app_that_installs_the_package_loads_brown_gpt_generates_and_exports_onnx()
    {
        var (root, configuration) = RepositoryAndConfiguration();
        var version = "0.0.0-packagetest." + Guid.NewGuid().ToString("N")[..12];
        using var folder = new TemporaryFolder();
        var feed = Directory.CreateDirectory(folder.File("feed")).FullName;
        var app = Directory.CreateDirectory(folder.File("app")).FullName;
        try
        {
            foreach (var project in PackedProjects)
                await Dotnet(root, "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", configuration,
                    "--no-build", "-o", feed, $"-p:Version={version}");
            WriteConsoleApp(root, app, feed, version);

            await Dotnet(app, "build", "-c", "Release");
            var appOutput = Path.Combine(app, "bin", "Release", "net10.0");
            var output = await Dotnet(app, Path.Combine(appOutput, "App.dll"), app);

            Assert.Contains($"model: {Path.Combine(appOutput, "models", "brown-gpt")}", output);
            Assert.Equal(Sha256(Path.Combine(root, "models", "brown-gpt", "model.safetensors")),
                Sha256(Path.Combine(appOutput, "models", "brown-gpt", "model.safetensors")));
            string expected;
            using (var brown = GptModels.LoadBrown())
                expected = brown.Generate(Prompt, maxNewTokens: 12, temperature: 0);
            Assert.False(string.IsNullOrWhiteSpace(expected));
            Assert.Contains($"greedy: <{expected}>", output);
            using (var session = new InferenceSession(Path.Combine(app, "brown.onnx")))
                Assert.Contains("input_ids", session.InputMetadata.Keys);
            // The package's buildTransitive targets ran in the app's build: its libtorch bridge loads on Debian 12.
            TorchSharpLoadsTests.AssertOnlyTheWeakFlagDiffers(
                Path.Combine(PackagesFolder(), "torchsharp", TorchSharpVersion(), "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                Path.Combine(appOutput, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
        }
        finally
        {
            foreach (var project in PackedProjects)
            {
                var id = Path.Combine(PackagesFolder(), project.ToLowerInvariant());
                var installed = Path.Combine(id, version);
                if (Directory.Exists(installed)) Directory.Delete(installed, recursive: true);
                if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) Directory.Delete(id);
            }
        }
    }

    private static void WriteConsoleApp(string root, string app, string feed, string version)
    {
        // Empty directory files keep whatever lies above the temporary folder out of the build.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");

        // The repository's sources, with this run's feed first.
        var config = XDocument.Load(Path.Combine(root, "nuget.config"));
        var sources = config.Root!.Element("packageSources")!;
        var clear = sources.Element("clear");
        var local = new XElement("add", new XAttribute("key", "mlnetllm-test-feed"), new XAttribute("value", feed));
        if (clear is null) sources.AddFirst(local); else clear.AddAfterSelf(local);
        config.Save(Path.Combine(app, "nuget.config"));

        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MLNetLlm.TorchSharp" Version="{version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{TorchSharpVersion()}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), $$"""
            using Microsoft.ML;
            using MLNetLlm;
            using MLNetLlm.TorchSharp;
            using MLNetLlm.TorchSharp.Pretraining;

            using var brown = GptModels.LoadBrown();
            Console.WriteLine($"model: {GptModels.BrownPath}");
            Console.WriteLine($"greedy: <{brown.Generate("{{Prompt}}", maxNewTokens: 12, temperature: 0)}>");
            new MLContext(seed: 1).Model.Llm.ExportOnnx(brown, Path.Combine(args[0], "brown.onnx"));
            Console.WriteLine("exported");
            """);
    }

    /// <summary>Runs the .NET CLI in <paramref name="directory"/> and returns what it printed; fails with its output otherwise.</summary>
    private static async Task<string> Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // The test host's own MSBuild settings would steer the child's build; no build servers are left running.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }

    /// <summary>The repository root and the configuration this test assembly was built in (…/bin/&lt;Configuration&gt;/&lt;tfm&gt;).</summary>
    private static (string Root, string Configuration) RepositoryAndConfiguration()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = baseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MLNetLlm.sln"))) root = root.Parent;
        Assert.NotNull(root);
        return (root!.FullName, baseDirectory.Parent!.Name);
    }

    private static string PackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string TorchSharpVersion() => typeof(global::TorchSharp.torch).Assembly.GetName().Version!.ToString(3);

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

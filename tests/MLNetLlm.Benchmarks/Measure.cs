using System.Diagnostics;
using System.Globalization;

namespace MLNetLlm.Benchmarks;

/// <summary>Wall-clock time, the process's peak resident memory and the machine's load, for benchmark reports.</summary>
internal static class Measure
{
    /// <summary>Seconds <paramref name="action"/> takes.</summary>
    public static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Collects garbage and resets Linux's peak resident size (VmHWM) to the current one.</summary>
    public static void ResetPeakResident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (File.Exists("/proc/self/clear_refs")) File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
    }

    /// <summary>Peak resident size (VmHWM) in MB since the last reset; null where /proc/self/status does not tell it.</summary>
    public static long? PeakResidentMegabytes()
    {
        if (!File.Exists("/proc/self/status")) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) >> 10;
    }

    /// <summary>Current resident size (VmRSS) in MB; null where /proc/self/status does not tell it.</summary>
    public static long? ResidentMegabytes()
    {
        if (!File.Exists("/proc/self/status")) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) >> 10;
    }

    /// <summary>The one-minute load average, to say how busy the machine was; "n/a" where /proc/loadavg is missing.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}

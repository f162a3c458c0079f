using Microsoft.ML.Runtime;

namespace MLNetLlm.Kit;

/// <summary>What MLNetLlm components take from the <see cref="Microsoft.ML.MLContext"/>: seeds and log messages.</summary>
public static class EnvironmentExtensions
{
    /// <summary>
    /// A seed for one component: <paramref name="explicitSeed"/> when the user gave one, else the next seed of the
    /// context's random stream, so <c>new MLContext(seed: 1)</c> makes a whole pipeline reproducible.
    /// </summary>
    public static int NextSeed(this IHostEnvironment environment, string component, int? explicitSeed = null) =>
        explicitSeed ?? environment.Register(component).Rand.Next();

    /// <summary>Writes an informational message to the context's log (<c>MLContext.Log</c>).</summary>
    public static void LogInfo(this IHostEnvironment environment, string component, string message)
    {
        using var channel = environment.Start(component);
        channel.Info(MessageSensitivity.None, message);
    }
}

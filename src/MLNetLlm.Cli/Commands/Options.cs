using System.CommandLine;

namespace MLNetLlm.Cli.Commands;

/// <summary>Validators shared by the commands' options.</summary>
internal static class Options
{
    /// <summary>Requires a positive value.</summary>
    public static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{option.Name} must be positive."); });
        return option;
    }
}

using System.CommandLine;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.Cli.Commands;

/// <summary>The <c>--precision</c> option: <c>fp32</c> (the default) or <c>bf16</c>.</summary>
internal static class PrecisionOption
{
    private static readonly Dictionary<string, Precision> Names = new(StringComparer.OrdinalIgnoreCase) { ["fp32"] = Precision.Fp32, ["bf16"] = Precision.Bf16 };

    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--precision") { Description = description, DefaultValueFactory = _ => "fp32" };
        option.AcceptOnlyFromAmong([.. Names.Keys]);
        return option;
    }

    public static Precision ValueOf(ParseResult parsed, Option<string> option) => Names[parsed.GetValue(option)!];
}

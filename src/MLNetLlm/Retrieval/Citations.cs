using System.Text.RegularExpressions;

namespace MLNetLlm.Retrieval;

/// <summary>Finds the source numbers an answer cites: <c>[2]</c>, <c>[1, 3]</c>, <c>[1][4]</c>.</summary>
internal static partial class Citations
{
    [GeneratedRegex(@"\[\s*(\d{1,6}(?:\s*,\s*\d{1,6})*)\s*\]")]
    private static partial Regex Marker();

    /// <summary>The distinct numbers cited in <paramref name="text"/>, in order of first citation.</summary>
    public static IReadOnlyList<int> Parse(string text)
    {
        var numbers = new List<int>();
        foreach (Match match in Marker().Matches(text))
            foreach (var part in match.Groups[1].Value.Split(','))
                if (int.Parse(part.Trim(), System.Globalization.CultureInfo.InvariantCulture) is int number && !numbers.Contains(number))
                    numbers.Add(number);
        return numbers;
    }
}

using System.Globalization;

/// <summary>The command line: a mode (brown or wordnet), its sizes, and the queries.</summary>
internal sealed record Settings(string Mode, int Documents, int Glosses, int Queries, int Top, IReadOnlyList<string> Questions)
{
    public const string Usage =
        "Usage: dotnet run -c Release --project examples/SemanticSearch -- [brown|wordnet] [--documents N] [--glosses N] [--queries N] [--top N] [query ...]";

    /// <summary>Reads the arguments; a bad one throws <see cref="ArgumentException"/> naming it.</summary>
    public static Settings Parse(string[] args)
    {
        var mode = "brown";
        int documents = 40, glosses = 3_000, queries = 300, top = 3;
        var questions = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "brown" or "wordnet" when i == 0: mode = args[i]; break;
                case "--documents": documents = Count(args, ref i, 1, 500); break;
                case "--glosses": glosses = Count(args, ref i, 1, 117_791); break;
                case "--queries": queries = Count(args, ref i, 1, 10_000); break;
                case "--top": top = Count(args, ref i, 1, 20); break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option {option}.\n{Usage}");
                default: questions.Add(args[i]); break;
            }
        }
        return new Settings(mode, documents, glosses, queries, top, questions);
    }

    private static int Count(string[] args, ref int i, int min, int max)
    {
        var name = args[i];
        if (++i >= args.Length || !int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new ArgumentException($"{name} needs a whole number from {min:N0} to {max:N0}.\n{Usage}");
        return value;
    }
}

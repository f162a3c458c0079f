using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Instructions;

/// <summary>
/// Model-as-judge scoring, as in the reference book (chapter 7.8): a chat model the user configures is shown the
/// instruction, the correct output and the model's answer, asked for a score from 0 to 100, and its reply is parsed.
/// Without a chat client nothing is sent and the result says it was skipped.
/// </summary>
public sealed partial class AnswerJudge
{
    private readonly IChatClient? _client;
    private readonly ChatOptions? _options;

    /// <summary>A judge that asks <paramref name="client"/>; null for none (every score is then skipped, with a message).</summary>
    /// <param name="client">Any chat client, e.g. an OpenAI-compatible endpoint through Microsoft.Extensions.AI.OpenAI.</param>
    /// <param name="options">Options of each request (model id, temperature); null for the client's defaults.</param>
    public AnswerJudge(IChatClient? client, ChatOptions? options = null)
    {
        _client = client;
        _options = options;
    }

    /// <summary>The message <see cref="ScoreAsync"/> reports when no chat client is configured.</summary>
    public const string NotConfigured = "Model-as-judge skipped: no chat client is configured (give an IChatClient, e.g. an OpenAI-compatible endpoint).";

    /// <summary>The book's judge prompt for one answer: the instruction in the Alpaca format, the correct output and the
    /// response, and the request for an integer from 0 to 100 alone.</summary>
    public static string Prompt(string instruction, string? input, string reference, string answer)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(answer);
        var task = $"### Instruction:\n{instruction}" + (string.IsNullOrEmpty(input) ? "" : $"\n\n### Input:\n{input}");
        return $"Given the input `{task}` and correct output `{reference}`, score the model response `{answer}` on a scale " +
               "from 0 to 100, where 100 is the best score. Respond with the integer number only.";
    }

    /// <summary>
    /// The score in a judge's reply: its first number, when it lies in [0, 100] (a decimal is rounded), and is not given
    /// on another scale ("7/10", "7 out of 10"); null for a reply without such a number.
    /// </summary>
    public static int? ParseScore(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply)) return null;
        var match = FirstNumber().Match(reply);
        if (!match.Success || match.Groups["sign"].Success) return null;
        if (!double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value > 100) return null;
        if (match.Groups["scale"].Success && match.Groups["scale"].Value != "100") return null;
        return (int)Math.Round(value, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Scores each answer against its reference, one request per answer, in order. A reply without a score is counted
    /// in <see cref="JudgeScores.Unparsed"/> and left out of the mean.
    /// </summary>
    /// <param name="items">The instruction, its input (null or empty for none), the reference output and the model's answer.</param>
    /// <param name="cancellationToken">Stops between or during requests.</param>
    /// <exception cref="ChatEndpointException">The chat client failed (nothing is retried).</exception>
    public async Task<JudgeScores> ScoreAsync(IReadOnlyList<(string Instruction, string? Input, string Reference, string Answer)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (_client is null) return new JudgeScores([], 0, NotConfigured);
        var scores = new List<int?>(items.Count);
        foreach (var (instruction, input, reference, answer) in items)
        {
            ChatResponse response;
            try
            {
                response = await _client.GetResponseAsync(Prompt(instruction, input, reference, answer), _options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var endpoint = _client.GetService<ChatClientMetadata>() is { } meta ? $"{meta.ProviderName} {meta.ProviderUri} {meta.DefaultModelId}".Trim() : _client.GetType().Name;
                throw new ChatEndpointException(endpoint, $"The judge {endpoint} failed on answer {scores.Count + 1}: {e.Message}", e);
            }
            scores.Add(ParseScore(response.Text));
        }
        int unparsed = scores.Count(s => s is null);
        return new JudgeScores(scores, unparsed, unparsed == scores.Count && scores.Count > 0 ? "No reply of the judge held a score from 0 to 100." : null);
    }

    [GeneratedRegex(@"(?<sign>-)?(?<number>\d+(?:\.\d+)?)(?:\s*(?:/|out\s+of)\s*(?<scale>\d+))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstNumber();
}

/// <summary>What <see cref="AnswerJudge.ScoreAsync"/> found.</summary>
/// <param name="Scores">Each answer's score, null where the reply held none; empty when skipped.</param>
/// <param name="Unparsed">Replies without a score in [0, 100].</param>
/// <param name="Message">Why there is no mean (no judge configured, or no reply parsed); null otherwise.</param>
public sealed record JudgeScores(IReadOnlyList<int?> Scores, int Unparsed, string? Message)
{
    /// <summary>Whether nothing was scored because no judge was configured.</summary>
    public bool Skipped => Message == AnswerJudge.NotConfigured;

    /// <summary>The mean of the parsed scores, 0 to 100; NaN when none parsed.</summary>
    public double Mean => Scores.Where(s => s is not null).Select(s => (double)s!.Value).DefaultIfEmpty(double.NaN).Average();
}

using MLNetLlm.Instructions;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Scores an <see cref="InstructionTransformer"/> on examples with reference responses: the response loss and
/// perplexity (teacher-forced, prompt masked), and, on the answers it generates, exact match for one-word references,
/// ROUGE-L and token F1 (<see cref="AnswerMetrics"/>).
/// </summary>
public static class InstructionEvaluation
{
    /// <summary>Scores <paramref name="model"/> on the rows of <paramref name="data"/>.</summary>
    /// <param name="model">The model; it reads its own instruction and input columns.</param>
    /// <param name="data">Rows with those columns and <paramref name="outputColumnName"/>.</param>
    /// <param name="outputColumnName">The text column of reference responses.</param>
    /// <exception cref="ArgumentException">A column is missing or not text, or there are no rows.</exception>
    public static InstructionScores Evaluate(InstructionTransformer model, IDataView data, string outputColumnName = "Output")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var rows = InstructionRows.Read(data, nameof(InstructionEvaluation), model.Settings.InstructionColumnName, model.Settings.InputColumnName, outputColumnName);
        if (rows.Count == 0) throw new ArgumentException("There are no rows to evaluate.", nameof(data));
        var gpt = model.Gpt.Model;
        var encoder = new InstructionEncoder(model.Template, model.Gpt.Tokenizer!, gpt.Config.ContextLength, TooLongExamples.TruncatePrompt);
        var examples = rows.Select(r => encoder.Encode(r[0]!, r[1], r[2]!)).OfType<InstructionExample>().ToList();
        double loss = InstructionTask.MeanLoss(gpt, examples, model.Settings.BatchSize, encoder.EndOfText, maskPrompt: true);

        var answers = model.Answer([.. rows.Select(r => (r[0]!, r[1]))]);
        double rouge = 0, f1 = 0, exact = 0;
        int oneWord = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            string reference = rows[i][2]!;
            rouge += AnswerMetrics.RougeL(answers[i], reference);
            f1 += AnswerMetrics.TokenF1(answers[i], reference);
            if (AnswerMetrics.Words(reference).Count == 1)
            {
                oneWord++;
                exact += AnswerMetrics.ExactMatch(answers[i], reference);
            }
        }
        return new InstructionScores(loss, Math.Exp(loss), oneWord == 0 ? double.NaN : exact / oneWord, oneWord, rouge / rows.Count, f1 / rows.Count, rows.Count);
    }
}

using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>Mean response log-probabilities of preference pairs, and the book's DPO figures from them.</summary>
internal static class PreferenceScoring
{
    /// <summary>Collates the chosen responses then the rejected ones of <paramref name="pairs"/> into one batch (2B rows),
    /// prompts masked, so one forward pass scores both sides.</summary>
    public static (Tensor Inputs, Tensor Targets) Batch(IReadOnlyList<PreferenceExample> pairs, int padId, Device device)
    {
        var batch = InstructionCollator.Collate([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)], padId, maskPrompt: true);
        return (tensor(batch.Inputs, [batch.Rows, batch.Length], device: device), tensor(batch.Targets, [batch.Rows, batch.Length], device: device));
    }

    /// <summary>Each pair's mean log-probability of its chosen and rejected response, in evaluation mode without gradients.</summary>
    public static (double[] Chosen, double[] Rejected) LogProbabilities(GptModel model, IReadOnlyList<PreferenceExample> pairs, int batchSize, int padId)
    {
        var chosen = new double[pairs.Count];
        var rejected = new double[pairs.Count];
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int first = 0; first < pairs.Count; first += batchSize)
            {
                using var scope = NewDisposeScope();
                var chunk = pairs.Skip(first).Take(batchSize).ToList();
                var (inputs, targets) = Batch(chunk, padId, model.Device);
                var values = DpoLoss.ResponseLogProbabilities(model, inputs, targets).to(ScalarType.Float64).data<double>().ToArray();
                for (int i = 0; i < chunk.Count; i++)
                {
                    chosen[first + i] = values[i];
                    rejected[first + i] = values[chunk.Count + i];
                }
            }
            return (chosen, rejected);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The book's figures: mean DPO loss, reward accuracy and margin, and the policy's own preference.</summary>
    public static PreferenceMetrics Metrics(double[] policyChosen, double[] policyRejected, double[] referenceChosen, double[] referenceRejected, double beta)
    {
        int n = policyChosen.Length;
        if (n == 0) return new PreferenceMetrics(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        double loss = 0, margin = 0;
        int correct = 0, preferred = 0;
        for (int i = 0; i < n; i++)
        {
            double chosenReward = beta * (policyChosen[i] - referenceChosen[i]);
            double rejectedReward = beta * (policyRejected[i] - referenceRejected[i]);
            double logit = chosenReward - rejectedReward;
            loss += logit >= 0 ? Math.Log(1 + Math.Exp(-logit)) : -logit + Math.Log(1 + Math.Exp(logit)); // −log σ(logit), stable
            margin += logit;
            if (chosenReward > rejectedReward) correct++;
            if (policyChosen[i] > policyRejected[i]) preferred++;
        }
        return new PreferenceMetrics(loss / n, (double)correct / n, margin / n, (double)preferred / n, n);
    }
}

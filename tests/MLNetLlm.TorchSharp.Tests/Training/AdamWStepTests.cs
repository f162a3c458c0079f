using MLNetLlm.TorchSharp.Training;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Training;

/// <summary>
/// Our flat-buffer AdamW against the textbook update (PyTorch's <c>torch.optim.AdamW</c>) worked out here in plain C#:
/// p ← p·(1 − lr·λ) for decayed parameters, m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g²,
/// p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε).
/// </summary>
public class AdamWStepTests
{
    // Large enough that a wrong bias correction, a coupled (L2) decay or ε in the wrong place moves a value by > 1e-4.
    private static readonly GptTrainingOptions Options = new() { Beta1 = 0.8, Beta2 = 0.9, AdamEpsilon = 0.05, WeightDecay = 0.3 };
    private static readonly double[] Rates = [0.1, 0.05, 0.2];

    [Fact]
    public void Three_steps_equal_the_hand_computed_AdamW_update_with_decoupled_decay_and_bias_correction()
    {
        double[] weight = [0.5, -1.25, 2.0, 0.75]; // a 2 × 2 matrix: decayed
        double[] bias = [0.3, -0.6];               // a vector: not decayed
        double[] weightScale = [1.0, 0.5, -0.25, 2.0], biasScale = [-1.5, 0.4];

        var ours = OurSteps(weight, bias, weightScale, biasScale);
        var expected = HandSteps(weight, bias, weightScale, biasScale);

        for (int step = 0; step < Rates.Length; step++)
            for (int i = 0; i < expected[step].Length; i++)
                Assert.True(Math.Abs(expected[step][i] - ours[step][i]) < 1e-6, $"step {step + 1}, value {i}: expected {expected[step][i]:R}, ours {ours[step][i]:R}");
    }

    // The loss ½·Σ scale·p² has gradient scale·p, so every step's gradient depends on the previous update.
    private static List<double[]> OurSteps(double[] weight, double[] bias, double[] weightScale, double[] biasScale)
    {
        using var w = new Parameter(tensor(weight, [2, 2], ScalarType.Float64));
        using var b = new Parameter(tensor(bias, ScalarType.Float64));
        using var ws = tensor(weightScale, [2, 2], ScalarType.Float64);
        using var bs = tensor(biasScale, ScalarType.Float64);
        using var optimizer = new AdamW([("b", b), ("w", w)], Options);
        var after = new List<double[]>();
        foreach (var rate in Rates)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = (ws * w * w).sum() * 0.5 + (bs * b * b).sum() * 0.5;
            loss.backward();
            optimizer.Step(rate);
            after.Add([.. w.detach().reshape(-1).data<double>(), .. b.detach().data<double>()]);
        }
        Assert.Equal(["w"], optimizer.Decayed);
        return after;
    }

    private static List<double[]> HandSteps(double[] weight, double[] bias, double[] weightScale, double[] biasScale)
    {
        double[] p = [.. weight, .. bias], scale = [.. weightScale, .. biasScale];
        bool[] decayed = [true, true, true, true, false, false];
        var m = new double[p.Length];
        var v = new double[p.Length];
        var after = new List<double[]>();
        for (int t = 1; t <= Rates.Length; t++)
        {
            double lr = Rates[t - 1];
            for (int i = 0; i < p.Length; i++)
            {
                double g = scale[i] * p[i]; // at the parameters before this step's decay
                if (decayed[i]) p[i] *= 1 - lr * Options.WeightDecay;
                m[i] = Options.Beta1 * m[i] + (1 - Options.Beta1) * g;
                v[i] = Options.Beta2 * v[i] + (1 - Options.Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Options.Beta1, t));
                double vHat = v[i] / (1 - Math.Pow(Options.Beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + Options.AdamEpsilon);
            }
            after.Add([.. p]);
        }
        return after;
    }
}

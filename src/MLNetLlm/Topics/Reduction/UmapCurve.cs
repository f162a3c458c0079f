namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// The a and b of UMAP's low-dimensional similarity <c>1 / (1 + a·d^(2b))</c>, fitted by least squares (Levenberg–Marquardt,
/// from a = b = 1) to the curve that is 1 up to <c>minDistance</c> and <c>exp(−(d − minDistance) / spread)</c> after it,
/// on 300 evenly spaced d from 0 to 3·spread: umap-learn's <c>find_ab_params</c>, which uses SciPy's <c>curve_fit</c>.
/// For spread 1: min_dist 0.1 gives a ≈ 1.577, b ≈ 0.895; min_dist 0 gives a ≈ 1.93, b ≈ 0.79.
/// </summary>
internal static class UmapCurve
{
    private const int Points = 300;

    public static (float A, float B) Fit(float minDistance, float spread)
    {
        var x = Enumerable.Range(0, Points).Select(i => 3.0 * spread * i / (Points - 1)).ToArray();
        var y = x.Select(d => d < minDistance ? 1 : Math.Exp(-(d - minDistance) / spread)).ToArray();
        double a = 1, b = 1, damping = 1e-3;
        double error = SquaredError(x, y, a, b);
        for (int iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr of the residuals r = f(x) − y.
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int i = 0; i < Points; i++)
            {
                if (x[i] <= 0)
                    continue; // f(0) = 1 whatever a and b
                double u = Math.Pow(x[i], 2 * b), f = 1 / (1 + a * u), r = f - y[i];
                double da = -u * f * f, db = -a * u * 2 * Math.Log(x[i]) * f * f;
                jaa += da * da; jab += da * db; jbb += db * db; ga += da * r; gb += db * r;
            }
            double maa = jaa * (1 + damping), mbb = jbb * (1 + damping), determinant = maa * mbb - jab * jab;
            double stepA = -(mbb * ga - jab * gb) / determinant, stepB = -(maa * gb - jab * ga) / determinant;
            double candidate = SquaredError(x, y, a + stepA, b + stepB);
            if (candidate < error)
            {
                bool converged = error - candidate < 1e-15 * Math.Max(1, error);
                (a, b, error, damping) = (a + stepA, b + stepB, candidate, damping / 10);
                if (converged)
                    break;
            }
            else
                damping *= 10;
            if (damping > 1e12)
                break;
        }
        return ((float)a, (float)b);
    }

    private static double SquaredError(double[] x, double[] y, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = 1 / (1 + a * Math.Pow(x[i], 2 * b)) - y[i];
            sum += r * r;
        }
        return sum;
    }
}

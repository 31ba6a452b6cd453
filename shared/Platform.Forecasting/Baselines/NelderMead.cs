namespace Platform.Forecasting.Baselines;

/// <summary>
/// The Nelder–Mead simplex method (Nelder and Mead 1965, with the usual coefficients: reflection 1, expansion 2,
/// contraction ½, shrink ½). Needs no gradient and is deterministic: the same function and start give the same result.
/// </summary>
internal static class NelderMead
{
    /// <summary>
    /// Minimizes <paramref name="f"/> from <paramref name="start"/>, with an initial simplex of side <paramref name="step"/>
    /// along each axis. Stops after <paramref name="maxEvaluations"/> evaluations or when the simplex's values differ by
    /// at most <paramref name="relativeTolerance"/> of the best. NaN counts as +∞.
    /// </summary>
    public static (double[] Point, double Value) Minimize(Func<double[], double> f, double[] start, double step, int maxEvaluations, double relativeTolerance)
    {
        var d = start.Length;
        var points = new double[d + 1][];
        var values = new double[d + 1];
        var evaluations = 0;
        double Evaluate(double[] x)
        {
            evaluations++;
            var v = f(x);
            return double.IsNaN(v) ? double.PositiveInfinity : v;
        }

        for (var i = 0; i <= d; i++)
        {
            points[i] = (double[])start.Clone();
            if (i > 0)
            {
                points[i][i - 1] += step;
            }

            values[i] = Evaluate(points[i]);
        }

        var centroid = new double[d];
        while (true)
        {
            Array.Sort(values, points);
            var best = values[0];
            if (evaluations >= maxEvaluations || values[d] - best <= relativeTolerance * Math.Abs(best))
            {
                return (points[0], best);
            }

            Array.Clear(centroid);
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    centroid[j] += points[i][j] / d;
                }
            }

            var worst = points[d];
            var reflected = Move(centroid, worst, -1);
            var reflectedValue = Evaluate(reflected);
            if (reflectedValue < best)
            {
                var expanded = Move(centroid, worst, -2);
                var expandedValue = Evaluate(expanded);
                (points[d], values[d]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
                continue;
            }

            if (reflectedValue < values[d - 1])
            {
                (points[d], values[d]) = (reflected, reflectedValue);
                continue;
            }

            // Contract towards the better of the worst point and its reflection.
            var outside = reflectedValue < values[d];
            var contracted = Move(centroid, worst, outside ? -0.5 : 0.5);
            var contractedValue = Evaluate(contracted);
            if (contractedValue < Math.Min(reflectedValue, values[d]))
            {
                (points[d], values[d]) = (contracted, contractedValue);
                continue;
            }

            // Shrink every point halfway towards the best.
            for (var i = 1; i <= d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    points[i][j] = points[0][j] + 0.5 * (points[i][j] - points[0][j]);
                }

                values[i] = Evaluate(points[i]);
            }
        }
    }

    /// <summary>centroid + coefficient × (point − centroid).</summary>
    private static double[] Move(double[] centroid, double[] point, double coefficient)
    {
        var result = new double[centroid.Length];
        for (var j = 0; j < result.Length; j++)
        {
            result[j] = centroid[j] + coefficient * (point[j] - centroid[j]);
        }

        return result;
    }
}

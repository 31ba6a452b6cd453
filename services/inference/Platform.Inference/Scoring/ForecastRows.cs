using System.Numerics;
using System.Runtime.InteropServices;
using Platform.Forecasting.Neural;

namespace Platform.Inference.Scoring;

/// <summary>
/// Builds a model input row from a SKU's hourly demand window, exactly as <see cref="NeuralFeatureLayout.WriteFeatures"/>
/// builds it from a series whose last values are the window (a test holds the two bit-equal): the last L values scaled
/// by their mean absolute value, log_scale_z, the calendar of the origin, then the covariates read by name from the
/// SKU's online features. Written here over a span of the stored window, so serving needs no series object per row.
/// </summary>
internal static class ForecastRows
{
    /// <summary>Writes the row for forecasting from <paramref name="origin"/> (the window's end) and returns the scale s.</summary>
    /// <exception cref="InvalidDataException">The window is shorter than the model's lookback.</exception>
    public static double Write(NeuralFeatureLayout layout, ReadOnlySpan<int> window, DateTime origin, IReadOnlyDictionary<string, double>? features, Span<float> row)
    {
        var calendar = new CalendarCache();
        return Write(layout, window, origin, features, row, ref calendar);
    }

    /// <summary>
    /// As <see cref="Write(NeuralFeatureLayout, ReadOnlySpan{int}, DateTime, IReadOnlyDictionary{string, double}?, Span{float})"/>,
    /// reusing the calendar columns of the previous row when it had the same origin (in a batch, most SKUs share the hour).
    /// </summary>
    public static double Write(
        NeuralFeatureLayout layout, ReadOnlySpan<int> window, DateTime origin, IReadOnlyDictionary<string, double>? features, Span<float> row, ref CalendarCache calendar)
    {
        var lookback = layout.Lookback;
        if (window.Length < lookback)
        {
            throw new InvalidDataException($"The demand window holds {window.Length} hours; the model needs {lookback}.");
        }

        var values = window[^lookback..];
        // Σ|v| of integers is exact in a long, and so is every partial sum in the engine's double loop (all below 2^53):
        // the same scale to the bit, without a conversion per value.
        long sum = 0;
        foreach (var v in values)
        {
            sum += Math.Abs((long)v);
        }

        var scale = (double)sum / lookback;
        if (!(scale > NeuralFeatureLayout.MinimumScale))
        {
            scale = 1.0;
        }

        ScaleInto(values, 1.0 / scale, row[..lookback]);
        row[lookback] = (float)((Math.Log(scale) - layout.LevelMean) / layout.LevelStd);
        calendar.Write(layout, origin, row.Slice(lookback + 1, NeuralFeatureLayout.CalendarFeatureCount));
        var covariateCount = layout.CovariateCount;
        if (covariateCount > 0)
        {
            var cov = row.Slice(lookback + 1 + NeuralFeatureLayout.CalendarFeatureCount, covariateCount + 1);
            if (features is null)
            {
                cov.Clear();
            }
            else
            {
                for (var j = 0; j < covariateCount; j++)
                {
                    // A feature the row lacks reads as NaN, which the layout treats as the training mean (0 once standardised).
                    var v = features.TryGetValue(layout.CovariateNames[j], out var value) ? (float)value : float.NaN;
                    cov[j] = float.IsFinite(v)
                        ? Math.Clamp((v - layout.CovariateMeans[j]) / layout.CovariateStds[j], -NeuralFeatureLayout.CovariateClip, NeuralFeatureLayout.CovariateClip)
                        : 0f;
                }

                cov[covariateCount] = 1f;
            }
        }

        return scale;
    }

    /// <summary>row[i] = (float)(values[i] × inverse), computed in double as the engine does, a vector at a time.</summary>
    private static void ScaleInto(ReadOnlySpan<int> values, double inverse, Span<float> row)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<int>.Count)
        {
            var factor = new Vector<double>(inverse);
            var ints = MemoryMarshal.Cast<int, Vector<int>>(values);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var k = 0; k < ints.Length && k < floats.Length; k++)
            {
                Vector.Widen(ints[k], out var low, out var high);
                var a = Vector.ConvertToDouble(low) * factor;
                var b = Vector.ConvertToDouble(high) * factor;
                floats[k] = Vector.Narrow(a, b);
                i += Vector<int>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            row[i] = (float)(values[i] * inverse);
        }
    }

    /// <summary>The calendar columns of the last origin written: six sines and cosines computed once per distinct hour.</summary>
    internal struct CalendarCache
    {
        private DateTime _origin;
        private NeuralFeatureLayout? _layout;
        private float _c0, _c1, _c2, _c3, _c4, _c5;

        public void Write(NeuralFeatureLayout layout, DateTime origin, Span<float> destination)
        {
            if (!ReferenceEquals(layout, _layout) || origin != _origin)
            {
                layout.WriteCalendar(origin, destination);
                (_layout, _origin) = (layout, origin);
                (_c0, _c1, _c2, _c3, _c4, _c5) = (destination[0], destination[1], destination[2], destination[3], destination[4], destination[5]);
                return;
            }

            (destination[0], destination[1], destination[2], destination[3], destination[4], destination[5]) = (_c0, _c1, _c2, _c3, _c4, _c5);
        }
    }
}

namespace Platform.Forecasting.Baselines;

/// <summary>
/// A method that fits each series on its own and gets its quantiles from its own in-sample errors. A subclass
/// only says how it forecasts h steps ahead from every point of the history ("rolling" forecasts); from those this
/// class takes, for each step h of the horizon, the h-step errors of past forecasts and puts the 80 % interval at
/// their 10th and 90th percentiles around the point forecast (the P50).
/// </summary>
/// <remarks>
/// Errors come from the last <see cref="MaxOrigins"/> forecast origins (fewer when the horizon is so long that
/// origins × horizon would pass <see cref="MaxRowCells"/>). A step h with fewer than
/// <see cref="MinErrorsPerStep"/> errors uses the one-step errors widened by √h (the random-walk rule); a history too
/// short for any error gets a zero-width interval. P10 ≤ P50 ≤ P90 always (an error quantile on the wrong side of
/// zero is clamped to zero), and when the history has no negative value (demand) every quantile is clamped at 0.
/// A non-finite forecast (which a method may produce on pathological input) falls back to the naive forecast.
/// Series are independent, so they run in parallel, and results do not depend on the number of threads.
/// </remarks>
public abstract class LocalBaseline : IForecastModel
{
    /// <summary>Most forecast origins whose errors make the intervals: recent behaviour, and a bounded cost on long series.</summary>
    public const int MaxOrigins = 1000;

    /// <summary>Most forecasts (origins × horizon) held per series while fitting: 32 MB a thread, so a very long horizon uses fewer origins instead of more memory.</summary>
    public const int MaxRowCells = 4_000_000;

    /// <summary>Fewest h-step errors trusted for the interval of step h.</summary>
    public const int MinErrorsPerStep = 10;

    public abstract string Name { get; }

    public IReadOnlyList<QuantileForecast> FitPredict(IReadOnlyList<TimeSeries> history, ForecastRequest request, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        foreach (var series in history)
        {
            if (series.Length == 0)
            {
                throw new ArgumentException($"{Name}: series '{series.Id}' has no points to fit on.", nameof(history));
            }
        }

        var results = new QuantileForecast[history.Count];
        var done = 0;
        var reported = -1L;
        var gate = new object();
        Parallel.For(0, history.Count, () => new Workspace(), (i, _, workspace) =>
        {
            results[i] = Forecast(history[i].Values, request.Horizon, request.SeasonLength, workspace);
            var finished = Interlocked.Increment(ref done);
            var percent = finished * 100L / history.Count;
            if (progress is not null && percent > Volatile.Read(ref reported))
            {
                lock (gate)
                {
                    if (percent > reported)
                    {
                        reported = percent;
                        progress.Report((double)finished / history.Count);
                    }
                }
            }

            return workspace;
        }, _ => { });
        return results;
    }

    /// <summary>Fits one series and forecasts <paramref name="horizon"/> steps past its end.</summary>
    public QuantileForecast Forecast(ReadOnlySpan<double> history, int horizon, int seasonLength) =>
        Forecast(history, horizon, seasonLength, new Workspace());

    /// <summary>
    /// Writes the forecasts made at each origin t ≥ <paramref name="rowStart"/> (after seeing history[t]) for the
    /// steps t+1 … t+horizon into row t − rowStart of <paramref name="rows"/> (row-major, <paramref name="horizon"/>
    /// columns). The row of the last origin is the forecast past the end. Returns the first origin whose forecasts are
    /// genuine (before it a method may write placeholders while it warms up); their errors are not used.
    /// </summary>
    protected abstract int RollingForecasts(ReadOnlySpan<double> history, int seasonLength, int horizon, int rowStart, Span<double> rows);

    private QuantileForecast Forecast(ReadOnlySpan<double> y, int horizon, int season, Workspace workspace)
    {
        var n = y.Length;
        var origins = Math.Max(1, Math.Min(MaxOrigins, MaxRowCells / horizon));
        var rowStart = Math.Max(0, n - origins);
        var rows = workspace.Rows((n - rowStart) * horizon);
        var first = RollingForecasts(y, season, horizon, rowStart, rows);
        var final = rows.Slice((n - 1 - rowStart) * horizon, horizon);
        if (!AllFinite(final))
        {
            first = NaiveBaseline.FillRows(y, horizon, rowStart, rows);
        }

        var p10 = new double[horizon];
        var p50 = final.ToArray();
        var p90 = new double[horizon];
        ResidualIntervals.Compute(y, rows, rowStart, Math.Max(first, rowStart), horizon, p10, p90, workspace);
        var nonNegative = !AnyNegative(y);
        for (var h = 0; h < horizon; h++)
        {
            p10[h] = p50[h] + Math.Min(p10[h], 0);
            p90[h] = p50[h] + Math.Max(p90[h], 0);
            if (nonNegative)
            {
                p10[h] = Math.Max(p10[h], 0);
                p50[h] = Math.Max(p50[h], 0);
                p90[h] = Math.Max(p90[h], 0);
            }
        }

        return new QuantileForecast(p10, p50, p90);
    }

    private static bool AnyNegative(ReadOnlySpan<double> y)
    {
        foreach (var v in y)
        {
            if (v < 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Buffers reused across the series one thread handles.</summary>
    internal sealed class Workspace
    {
        private double[] _rows = [];
        private double[] _errors = [];

        public Span<double> Rows(int length)
        {
            if (_rows.Length < length)
            {
                _rows = new double[length];
            }

            return _rows.AsSpan(0, length);
        }

        public Span<double> Errors(int length)
        {
            if (_errors.Length < length)
            {
                _errors = new double[length];
            }

            return _errors.AsSpan(0, length);
        }
    }
}

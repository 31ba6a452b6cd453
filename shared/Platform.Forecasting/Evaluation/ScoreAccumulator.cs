namespace Platform.Forecasting.Evaluation;

/// <summary>Adds up one model's errors series by series and turns them into a <see cref="ModelScore"/>.</summary>
internal sealed class ScoreAccumulator
{
    private static readonly double[] Taus = [0.1, 0.5, 0.9];

    private readonly int _seasonLength;
    private readonly double[] _pinball = new double[3];
    private double _maseSum;
    private int _maseSeries;
    private int _maseFallbacks;
    private double _smapeSum;
    private int _series;
    private long _points;
    private long _covered;
    private double _absoluteError;
    private double _absoluteActual;

    public ScoreAccumulator(int seasonLength) => _seasonLength = seasonLength;

    public void Add(ReadOnlySpan<double> train, ReadOnlySpan<double> actual, QuantileForecast forecast)
    {
        var p50 = forecast.P50.AsSpan();
        if (ForecastMetrics.MaseScale(train, _seasonLength, out var fellBack) is { } scale)
        {
            _maseSum += ForecastMetrics.MeanAbsoluteError(actual, p50) / scale;
            _maseSeries++;
            _maseFallbacks += fellBack ? 1 : 0;
        }

        _smapeSum += ForecastMetrics.Smape(actual, p50);
        _series++;
        for (var i = 0; i < actual.Length; i++)
        {
            var y = actual[i];
            _absoluteError += Math.Abs(y - p50[i]);
            _absoluteActual += Math.Abs(y);
            _pinball[0] += ForecastMetrics.Pinball(y, forecast.P10[i], Taus[0]);
            _pinball[1] += ForecastMetrics.Pinball(y, p50[i], Taus[1]);
            _pinball[2] += ForecastMetrics.Pinball(y, forecast.P90[i], Taus[2]);
            _covered += forecast.P10[i] <= y && y <= forecast.P90[i] ? 1 : 0;
        }

        _points += actual.Length;
    }

    public ModelScore ToScore(string model, double seconds)
    {
        double? Weighted(double sum) => _absoluteActual > 0 ? sum / _absoluteActual : null;
        var wql = _pinball.Select(p => Weighted(2 * p)).ToArray();
        return new ModelScore(
            model,
            _series,
            _points,
            _maseSeries > 0 ? _maseSum / _maseSeries : null,
            _maseSeries,
            _maseFallbacks,
            _series > 0 ? _smapeSum / _series : 0,
            Weighted(_absoluteError),
            _absoluteActual > 0 ? wql.Average() : null,
            wql[0],
            wql[1],
            wql[2],
            _points > 0 ? (double)_covered / _points : 0,
            seconds);
    }
}

using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

/// <summary>
/// One model trained once per test class on 40 synthetic hourly series of three weeks, with the last day of each
/// held out: the data a user would backtest on.
/// </summary>
public sealed class TrainedHourlyModel
{
    public const int Horizon = 24;
    public const int Season = 24;

    public TrainedHourlyModel()
    {
        var full = SyntheticDemand.Hourly(40, 21 * 24, seed: 2026);
        History = full.Select(s => s.Head(s.Length - Horizon)).ToArray();
        Actuals = full.Select(s => s.Values[^Horizon..]).ToArray();
        var forecaster = new NeuralQuantileForecaster(SyntheticDemand.FastOptions());
        Forecasts = forecaster.FitPredict(History, new ForecastRequest(Horizon, Season));
        Model = forecaster.LastModel ?? throw new InvalidOperationException("The fixture's series are long enough to train.");
    }

    public IReadOnlyList<TimeSeries> History { get; }

    public IReadOnlyList<double[]> Actuals { get; }

    public IReadOnlyList<QuantileForecast> Forecasts { get; }

    public NeuralQuantileModel Model { get; }
}

using Platform.Forecasting.Registry;

namespace Platform.Forecasting.Neural;

/// <summary>Outcome of <see cref="NeuralModelTrainer.TrainAndRegister"/>.</summary>
/// <param name="Model">The registered version.</param>
/// <param name="BacktestMetrics">The model's metrics on each series' last H points (keys as in <see cref="BacktestScores"/>), plus the same for seasonal naive prefixed "seasonal_naive_".</param>
/// <param name="BacktestTraining">The training run fitted without the held-out points.</param>
/// <param name="FinalTraining">The training run on the full history that produced the registered model.</param>
/// <param name="BacktestSeries">Series long enough to hold out H points.</param>
/// <param name="SkippedSeries">Series of H points or fewer, left out of the backtest (still used for the final model).</param>
public sealed record NeuralTrainingReport(
    RegisteredModel Model,
    IReadOnlyDictionary<string, double> BacktestMetrics,
    NeuralTrainingSummary? BacktestTraining,
    NeuralTrainingSummary FinalTraining,
    int BacktestSeries,
    int SkippedSeries);

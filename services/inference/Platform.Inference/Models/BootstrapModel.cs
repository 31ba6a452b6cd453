using Platform.Contracts;
using Platform.Forecasting;
using Platform.Forecasting.Data;
using Platform.Forecasting.Neural;
using Platform.Forecasting.Registry;

namespace Platform.Inference.Models;

/// <summary>
/// A small demand model trained in seconds from order history and registered: what a process that starts with an
/// empty registry (the embedded demo) serves first. Demand is counted as `platform train` counts it (units of placed
/// lines per SKU and hour, <see cref="OrderDemand"/>), the network is the engine's neural forecaster with fewer and
/// smaller layers and epochs, and the version is registered against the feature schema the caller runs.
/// </summary>
/// <example>
/// <code>
/// var history = new OrderSimulator(new SimulatorOptions { TimeCompression = 3600, MeanOrdersPerSecond = 300, MalformedShare = 0, DuplicateShare = 0 })
///     .Generate(TimeSpan.FromSeconds(24 * 9)).Where(e => e.Kind == SimulatedEventKind.Valid)
///     .Select(e => JsonSerializer.Deserialize(e.Payload, ContractsJsonContext.Default.OrderEvent)!);
/// BootstrapModel.TrainAndRegister(history, registryFolder, featureSchema.Hash);
/// </code>
/// </example>
public static class BootstrapModel
{
    /// <param name="history">Placed orders (cancellations are skipped), in any order.</param>
    /// <param name="registryDirectory">Registry folder; the model becomes its next version.</param>
    /// <param name="featureSchemaHash">FeatureSchema.Hash of the feature store the model will be served against.</param>
    /// <param name="settings">Size and training; defaults when null.</param>
    /// <exception cref="InsufficientHistoryException">The history is shorter than lookback + 3 × horizon − 1 hours (239 by default: ten days).</exception>
    public static RegisteredModel TrainAndRegister(
        IEnumerable<OrderEvent> history, string registryDirectory, string featureSchemaHash, BootstrapModelSettings? settings = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var builder = new DemandSeriesBuilder(TimeSpan.FromHours(1));
        OrderDemand.Add(builder, history);
        return TrainAndRegister(builder, registryDirectory, featureSchemaHash, settings, progress);
    }

    /// <summary>As above, from hourly demand already counted (<see cref="OrderDemand.Add"/> into an hourly builder), so a caller that reads the history for other uses too reads it once.</summary>
    public static RegisteredModel TrainAndRegister(
        DemandSeriesBuilder hourlyDemand, string registryDirectory, string featureSchemaHash, BootstrapModelSettings? settings = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(hourlyDemand);
        ArgumentException.ThrowIfNullOrWhiteSpace(registryDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSchemaHash);
        if (hourlyDemand.Step != TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"The model forecasts hours; the demand is counted per {hourlyDemand.Step}.", nameof(hourlyDemand));
        }

        settings ??= new BootstrapModelSettings();
        var series = hourlyDemand.Build(settings.TopSkus);
        // The engine caps the lookback so the median series still gives training and validation windows (length − 3H + 1).
        var needed = settings.Lookback + 3 * settings.Horizon - 1;
        var hours = series.Count == 0 ? 0 : series.Min(s => s.Length);
        if (hours < needed)
        {
            throw new InsufficientHistoryException(
                $"The history spans {hours} hours; a model with a lookback of {settings.Lookback} and a horizon of {settings.Horizon} needs at least {needed} (lookback + 3 × horizon − 1).");
        }

        var model = new NeuralQuantileForecaster(new NeuralForecasterOptions
        {
            Lookback = settings.Lookback,
            Hidden1 = settings.Hidden,
            Hidden2 = settings.Hidden,
            MaxEpochs = settings.Epochs,
            SamplesPerEpoch = settings.SamplesPerEpoch,
            Seed = settings.Seed,
        }).Fit(series, new ForecastRequest(settings.Horizon, 24), progress);
        var metadata = ModelMetadata.ForNeuralModel(model, series, featureSchemaHash) with
        {
            ModelName = NeuralQuantileForecaster.ModelName,
        };
        return new ModelRegistry(registryDirectory).Register(model.ExportOnnx(), metadata);
    }
}

using Platform.Forecasting.Neural;
using Platform.Forecasting.Onnx;

namespace Platform.Forecasting.Registry;

/// <summary>
/// metadata.json of one registered version: what the model is, what it was trained on, how to feed it and how well
/// it did. <see cref="ModelRegistry.Register"/> fills <see cref="Version"/>, <see cref="CreatedUtc"/> and
/// <see cref="ModelSha256"/>; <see cref="ForNeuralModel"/> fills the rest from a trained model.
/// </summary>
public sealed record ModelMetadata
{
    public int Version { get; init; }

    public string ModelName { get; init; } = "neural";

    public DateTime CreatedUtc { get; init; }

    /// <summary>Start of the earliest training period.</summary>
    public required DateTime TrainingDataStart { get; init; }

    /// <summary>Start of the latest training period.</summary>
    public required DateTime TrainingDataEnd { get; init; }

    public required int SeriesCount { get; init; }

    /// <summary>FeatureSchema.Hash of the feature store the model was trained against; loading checks it.</summary>
    public required string FeatureSchemaHash { get; init; }

    public required int Lookback { get; init; }

    public required int Horizon { get; init; }

    public required int SeasonLength { get; init; }

    public required TimeSpan Step { get; init; }

    public required TensorDescription Input { get; init; }

    public required IReadOnlyList<TensorDescription> Outputs { get; init; }

    public required ScalingDescription Scaling { get; init; }

    public long OnnxOpset { get; init; } = QuantileMlpOnnxExporter.Opset;

    public long OnnxIrVersion { get; init; } = QuantileMlpOnnxExporter.IrVersion;

    /// <summary>Lower-case hex SHA-256 of model.onnx; loading refuses a file that does not match.</summary>
    public string ModelSha256 { get; init; } = string.Empty;

    public NeuralTrainingSummary? Training { get; init; }

    /// <summary>Metric name → value from the backtest the caller ran (for example "mase", "wql").</summary>
    public IReadOnlyDictionary<string, double> BacktestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Describes a trained model and its training data; version, creation time and checksum are left to the registry.</summary>
    public static ModelMetadata ForNeuralModel(
        NeuralQuantileModel model, IReadOnlyList<TimeSeries> trainingData, string featureSchemaHash, IReadOnlyDictionary<string, double>? backtestMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSchemaHash);
        var withData = trainingData.Where(s => s.Length > 0).ToArray();
        if (withData.Length == 0)
        {
            throw new ArgumentException("The training data holds no values.", nameof(trainingData));
        }

        var layout = model.Layout;
        string[] batchByHorizon = [QuantileMlpOnnxExporter.BatchDimension, layout.Horizon.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return new ModelMetadata
        {
            TrainingDataStart = withData.Min(s => s.Start),
            TrainingDataEnd = withData.Max(s => s.TimestampAt(s.Length - 1)),
            SeriesCount = trainingData.Count,
            FeatureSchemaHash = featureSchemaHash,
            Lookback = layout.Lookback,
            Horizon = layout.Horizon,
            SeasonLength = layout.SeasonLength,
            Step = layout.Step,
            Input = new TensorDescription(
                QuantileMlpOnnxExporter.InputName,
                "float32",
                [QuantileMlpOnnxExporter.BatchDimension, layout.FeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                layout.ColumnNames()),
            Outputs =
            [
                new TensorDescription(QuantileMlpOnnxExporter.P10Name, "float32", batchByHorizon),
                new TensorDescription(QuantileMlpOnnxExporter.P50Name, "float32", batchByHorizon),
                new TensorDescription(QuantileMlpOnnxExporter.P90Name, "float32", batchByHorizon),
            ],
            Scaling = new ScalingDescription(
                NeuralFeatureLayout.ScalingMethod,
                NeuralFeatureLayout.MinimumScale,
                layout.LevelMean,
                layout.LevelStd,
                layout.NonNegative,
                layout.CovariateNames,
                layout.CovariateMeans,
                layout.CovariateStds),
            Training = model.Training,
            BacktestMetrics = new Dictionary<string, double>(backtestMetrics ?? new Dictionary<string, double>(), StringComparer.Ordinal),
        };
    }

    /// <summary>The feature layout these metadata describe; throws <see cref="InvalidDataException"/> when inconsistent.</summary>
    public NeuralFeatureLayout ToLayout()
    {
        if (Scaling is null || Input is null)
        {
            throw new InvalidDataException("Model metadata lacks its scaling or input description.");
        }

        if (!string.Equals(Scaling.Method, NeuralFeatureLayout.ScalingMethod, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Scaling method '{Scaling.Method}' is not supported; this build knows '{NeuralFeatureLayout.ScalingMethod}'.");
        }

        var layout = new NeuralFeatureLayout
        {
            Lookback = Lookback,
            Horizon = Horizon,
            SeasonLength = SeasonLength,
            Step = Step,
            LevelMean = Scaling.LevelMean,
            LevelStd = Scaling.LevelStd,
            NonNegative = Scaling.NonNegative,
            CovariateNames = Scaling.CovariateNames ?? [],
            CovariateMeans = Scaling.CovariateMeans ?? [],
            CovariateStds = Scaling.CovariateStds ?? [],
        };
        layout.Validate();
        var columns = layout.ColumnNames();
        if (Input.Columns is not null && !Input.Columns.SequenceEqual(columns, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"The metadata's input columns ({Input.Columns.Count}) differ from the {columns.Count} columns this build derives from its lookback and covariates.");
        }

        return layout;
    }
}

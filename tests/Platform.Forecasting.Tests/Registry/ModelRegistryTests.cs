using Platform.Features;
using Platform.Forecasting.Registry;
using Platform.Forecasting.Tests.Neural;

namespace Platform.Forecasting.Tests.Registry;

[Collection(TrainedHourlyModelCollection.Name)]
public class ModelRegistryTests(TrainedHourlyModel trained)
{
    private static readonly string RunningHash = FeatureSchema.Default.Hash;

    [Fact]
    public void Registry_RoundTripsModelAndMetadata()
    {
        using var dir = new TempDirectory();
        var registry = new ModelRegistry(dir.Path);
        var metrics = new Dictionary<string, double> { ["mase"] = 0.8, ["wql"] = 0.17 };

        var registered = registry.Register(trained.Model.ExportOnnx(), ModelMetadata.ForNeuralModel(trained.Model, trained.History, RunningHash, metrics));
        var loaded = registry.LoadLatest(RunningHash);

        Assert.Equal(1, loaded.Version);
        Assert.Equal(Path.Combine(dir.Path, "v0001"), loaded.Directory);
        Assert.True(File.Exists(Path.Combine(dir.Path, "v0001", "model.onnx")));
        Assert.Equal(registered.Metadata.ModelSha256, loaded.Metadata.ModelSha256);
        var m = loaded.Metadata;
        Assert.Equal(RunningHash, m.FeatureSchemaHash);
        Assert.Equal(trained.History.Count, m.SeriesCount);
        Assert.Equal(SyntheticDemand.Start, m.TrainingDataStart);
        Assert.Equal(trained.History[0].TimestampAt(trained.History[0].Length - 1), m.TrainingDataEnd);
        Assert.Equal((168, 24, 24, TimeSpan.FromHours(1)), (m.Lookback, m.Horizon, m.SeasonLength, m.Step));
        Assert.Equal(["batch", trained.Model.Layout.FeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture)], m.Input.Shape);
        Assert.Equal(["p10", "p50", "p90"], m.Outputs.Select(o => o.Name));
        Assert.Equal(0.17, m.BacktestMetrics["wql"]);
        Assert.Equal(trained.Model.Training, m.Training);
        Assert.Equal(trained.Model.Layout.LevelMean, loaded.Layout.LevelMean);
        Assert.Equal(trained.Model.Layout.ColumnNames(), loaded.Layout.ColumnNames());

        using var forecaster = loaded.CreateForecaster();
        var fromRegistry = forecaster.Forecast(trained.History);
        Assert.Equal(trained.Forecasts[5].P50[3], fromRegistry[5].P50[3], 1e-3);
    }

    [Fact]
    public void Registry_LoadsLatestOrAGivenVersion()
    {
        using var dir = new TempDirectory();
        var time = new ManualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var registry = new ModelRegistry(dir.Path, time);
        var onnx = trained.Model.ExportOnnx();
        var metadata = ModelMetadata.ForNeuralModel(trained.Model, trained.History, RunningHash);

        registry.Register(onnx, metadata);
        time.Now += TimeSpan.FromHours(1);
        registry.Register(onnx, metadata with { BacktestMetrics = new Dictionary<string, double> { ["mase"] = 0.7 } });

        Assert.Equal([1, 2], registry.Versions());
        Assert.Equal(2, registry.LoadLatest(RunningHash).Version);
        Assert.Equal(new DateTime(2026, 3, 1, 13, 0, 0, DateTimeKind.Utc), registry.LoadLatest(RunningHash).Metadata.CreatedUtc);
        Assert.Equal(1, registry.Load(1, RunningHash).Version);
        Assert.Empty(registry.Load(1, RunningHash).Metadata.BacktestMetrics);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".staging-*"));
    }

    [Fact]
    public void Registry_RefusesAModelFromAnotherFeatureSchemaNamingBothHashes()
    {
        using var dir = new TempDirectory();
        var registry = new ModelRegistry(dir.Path);
        var otherHash = new FeatureSchema(new FeatureOptions { EwmaAlpha = 0.2 }).Hash;
        registry.Register(trained.Model.ExportOnnx(), ModelMetadata.ForNeuralModel(trained.Model, trained.History, otherHash));

        var error = Assert.Throws<FeatureSchemaMismatchException>(() => registry.LoadLatest(RunningHash));

        Assert.NotEqual(otherHash, RunningHash);
        Assert.Contains(otherHash, error.Message);
        Assert.Contains(RunningHash, error.Message);
        Assert.Contains("v0001", error.Message);
        Assert.Equal((otherHash, RunningHash), (error.ModelHash, error.RunningHash));
    }

    [Fact]
    public void Registry_RefusesAChangedModelFile()
    {
        using var dir = new TempDirectory();
        var registry = new ModelRegistry(dir.Path);
        var registered = registry.Register(trained.Model.ExportOnnx(), ModelMetadata.ForNeuralModel(trained.Model, trained.History, RunningHash));
        File.WriteAllBytes(registered.ModelPath, File.ReadAllBytes(registered.ModelPath)[..100]);

        var error = Assert.Throws<InvalidDataException>(() => registry.Load(1, RunningHash));

        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void Registry_ExplainsMissingVersions()
    {
        using var dir = new TempDirectory();
        var registry = new ModelRegistry(dir.Path);

        Assert.Contains("holds no model versions", Assert.Throws<FileNotFoundException>(() => registry.LoadLatest(RunningHash)).Message);

        registry.Register(trained.Model.ExportOnnx(), ModelMetadata.ForNeuralModel(trained.Model, trained.History, RunningHash));
        Assert.Contains("available: v0001", Assert.Throws<FileNotFoundException>(() => registry.Load(7, RunningHash)).Message);
    }
}

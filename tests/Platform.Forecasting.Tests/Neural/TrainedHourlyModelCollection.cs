namespace Platform.Forecasting.Tests.Neural;

/// <summary>Test classes in this collection share one <see cref="TrainedHourlyModel"/>, trained once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedHourlyModelCollection : ICollectionFixture<TrainedHourlyModel>
{
    public const string Name = "trained hourly model";
}

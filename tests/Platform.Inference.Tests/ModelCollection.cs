namespace Platform.Inference.Tests;

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "models";
}

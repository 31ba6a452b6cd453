using Platform.Testing;

namespace Platform.Inference.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>, ICollectionFixture<TrainedModels>
{
    public const string Name = "redis";
}

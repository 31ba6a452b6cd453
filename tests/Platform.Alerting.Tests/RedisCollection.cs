using Platform.Testing;

namespace Platform.Alerting.Tests;

/// <summary>One real Redis for the assembly's Redis tests (Platform.Testing's fixture starts redis-server when no Docker engine is reachable).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}

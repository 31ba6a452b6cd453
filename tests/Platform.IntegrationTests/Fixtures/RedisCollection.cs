using Platform.Testing;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>One shared <see cref="RedisFixture"/> for the tests of this assembly that need Redis.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}

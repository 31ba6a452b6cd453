namespace Platform.OnlineStore.Tests;

public sealed class InMemoryOnlineStoreTests : OnlineStoreContractTests
{
    private readonly InMemoryOnlineStore _store;

    public InMemoryOnlineStoreTests() => _store = new InMemoryOnlineStore(new OnlineStoreOptions { EntityTtl = Ttl }, Time);

    protected override (IOnlineFeatureStore Reader, IFeatureStateStore Writer) Store => (_store, _store);

    protected override async Task AssertExpiresAfterTtlAsync(string entityKey, Func<Task> rewrite)
    {
        Time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _store.GetAsync(entityKey));

        await rewrite();
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await _store.GetAsync(entityKey));

        Time.Advance(Ttl);
        Assert.Null(await _store.GetAsync(entityKey));
    }
}

namespace Platform.OnlineStore;

/// <summary>The serving side of the feature store: latest feature values per entity, many entities per round trip.</summary>
public interface IOnlineFeatureStore
{
    /// <summary>
    /// One result per key, in the order of <paramref name="entityKeys"/>; null where the entity has no (unexpired)
    /// features. All keys are fetched in one round trip.
    /// </summary>
    Task<IReadOnlyList<OnlineFeatures?>> GetManyAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default);
}

public static class OnlineFeatureStoreExtensions
{
    /// <summary>The features of one entity, or null when it has none.</summary>
    public static async Task<OnlineFeatures?> GetAsync(this IOnlineFeatureStore store, string entityKey, CancellationToken ct = default) =>
        (await store.GetManyAsync([entityKey], ct))[0];
}

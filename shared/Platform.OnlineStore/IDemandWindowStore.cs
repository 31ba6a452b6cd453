namespace Platform.OnlineStore;

/// <summary>Reads the hourly demand windows the feature store writes beside the feature rows (see <see cref="DemandWindow"/>).</summary>
public interface IDemandWindowStore
{
    /// <summary>
    /// One result per key, in the order of <paramref name="entityKeys"/>; null where the entity has no (unexpired)
    /// window. All keys are fetched in one round trip.
    /// </summary>
    Task<IReadOnlyList<DemandWindow?>> GetDemandWindowsAsync(IReadOnlyList<string> entityKeys, CancellationToken ct = default);
}

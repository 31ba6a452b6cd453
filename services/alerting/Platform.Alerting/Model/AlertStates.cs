namespace Platform.Alerting.Model;

/// <summary>The wire names of <see cref="AlertState"/> (the API's state filter and responses).</summary>
public static class AlertStates
{
    public static string Name(AlertState state) => state switch
    {
        AlertState.Firing => "firing",
        AlertState.Acknowledged => "acknowledged",
        AlertState.Silenced => "silenced",
        AlertState.Inhibited => "inhibited",
        AlertState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? name, out AlertState state)
    {
        foreach (var candidate in Enum.GetValues<AlertState>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static bool IsActive(AlertState state) => state != AlertState.Resolved;

    public static bool IsMuted(AlertState state) => state is AlertState.Silenced or AlertState.Inhibited;
}

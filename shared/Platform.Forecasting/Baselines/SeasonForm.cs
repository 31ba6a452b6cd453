namespace Platform.Forecasting.Baselines;

/// <summary>How Holt-Winters combines the season with level and trend.</summary>
public enum SeasonForm
{
    /// <summary>No seasonal component (damped Holt).</summary>
    None,

    /// <summary>Level + trend + season: the seasonal swing has a fixed size.</summary>
    Additive,

    /// <summary>(Level + trend) × season: the swing grows with the level. Needs strictly positive data.</summary>
    Multiplicative,
}

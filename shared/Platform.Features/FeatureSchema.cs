using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Features;

/// <summary>One feature: its name in the vector and what it measures.</summary>
public sealed record FeatureDefinition(string Name, string Description);

/// <summary>
/// The ordered feature list and the hash of everything that defines the values. Windows are over UTC hour buckets:
/// with h0 the hour containing the as-of time t, "the last N hours" means hours h0-N+1 .. h0, where h0 itself only
/// counts events at or before t. Daily lags use whole UTC calendar days.
/// </summary>
public sealed class FeatureSchema
{
    /// <summary>Bump when a definition changes in code; it is part of <see cref="Hash"/>.</summary>
    public const int Version = 1;

    /// <summary>Hours an entity keeps: reaches the start of the UTC day 7 days before h0 (h0 - 7*24 - 23).</summary>
    internal const int RetainedHours = 192;

    internal const int Qty1H = 0;
    internal const int Qty24H = 1;
    internal const int Qty7D = 2;
    internal const int Lines1H = 3;
    internal const int Lines24H = 4;
    internal const int LagHour1 = 5;
    internal const int LagHour24 = 6;
    internal const int LagHour168 = 7;
    internal const int LagDay1 = 8;
    internal const int LagDay7 = 9;
    internal const int EwmaMean = 10;
    internal const int EwmaVariance = 11;
    internal const int DistinctCustomers24H = 12;
    internal const int CancelLines24H = 13;
    internal const int CancelUnits24H = 14;
    internal const int AvgPrice24H = 15;
    internal const int AvgPrice7D = 16;
    internal const int PriceChange24HVs7D = 17;
    internal const int PromoAny24H = 18;
    internal const int PromoShare24H = 19;
    internal const int HourOfDay = 20;
    internal const int DayOfWeek = 21;
    internal const int IsHoliday = 22;

    private static readonly FeatureDefinition[] AllDefinitions =
    [
        new("qty_1h", "Net units (sales minus cancellations) in h0 up to t."),
        new("qty_24h", "Net units in hours h0-23 .. h0."),
        new("qty_7d", "Net units in hours h0-167 .. h0."),
        new("lines_1h", "Sale lines in h0 up to t."),
        new("lines_24h", "Sale lines in hours h0-23 .. h0."),
        new("qty_lag_1h", "Net units in the complete hour h0-1."),
        new("qty_lag_24h", "Net units in the complete hour h0-24."),
        new("qty_lag_168h", "Net units in the complete hour h0-168."),
        new("qty_lag_1d", "Net units in the UTC day before t's day."),
        new("qty_lag_7d", "Net units in the UTC day 7 days before t's day."),
        new("ewma_mean_hourly", "EWMA of hourly net units over complete hours before h0, zero-demand hours included, from the entity's first hour."),
        new("ewma_var_hourly", "EWMA variance of hourly net units, same hours as ewma_mean_hourly."),
        new("distinct_customers_24h", "Distinct customer hashes on sale lines in hours h0-23 .. h0 (guests excluded), saturating at the cap."),
        new("cancel_lines_24h", "Cancellation lines in hours h0-23 .. h0."),
        new("cancel_units_24h", "Units cancelled (positive) in hours h0-23 .. h0."),
        new("avg_price_24h", "Mean unit price of sale lines in hours h0-23 .. h0; NaN without sales."),
        new("avg_price_7d", "Mean unit price of sale lines in hours h0-167 .. h0; NaN without sales."),
        new("price_change_24h_vs_7d", "avg_price_24h / avg_price_7d - 1; NaN when either is NaN."),
        new("promo_any_24h", "1 if any sale line in hours h0-23 .. h0 carried a promotion, else 0."),
        new("promo_share_24h", "Share of sale lines in hours h0-23 .. h0 with a promotion; 0 without sales."),
        new("hour_of_day", "UTC hour of t, 0..23."),
        new("day_of_week", "UTC day of week of t, Monday = 0 .. Sunday = 6."),
        new("is_holiday", "1 if t's UTC date is in the holiday list, else 0."),
    ];

    private readonly Dictionary<string, int> _indexByName;

    public FeatureSchema(FeatureOptions? options = null)
    {
        options ??= new FeatureOptions();
        options.Validate();
        Options = options;
        Holidays = HolidayCalendar.Parse(options.Holidays);
        Definitions = AllDefinitions;
        Names = AllDefinitions.Select(d => d.Name).ToArray();
        _indexByName = Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        CanonicalText = BuildCanonicalText(options, Holidays);
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText)))[..16];
    }

    public static FeatureSchema Default { get; } = new();

    public FeatureOptions Options { get; }

    public IReadOnlyList<FeatureDefinition> Definitions { get; }

    /// <summary>Feature names in vector order.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>First 16 hex digits of SHA-256 over <see cref="CanonicalText"/>.</summary>
    public string Hash { get; }

    /// <summary>The text hashed: version, names and every value-affecting parameter, one per line.</summary>
    public string CanonicalText { get; }

    internal HolidayCalendar Holidays { get; }

    public int IndexOf(string name) =>
        _indexByName.TryGetValue(name, out var index) ? index : throw new ArgumentException($"Unknown feature '{name}'.", nameof(name));

    private static string BuildCanonicalText(FeatureOptions options, HolidayCalendar holidays)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .Append("version=").Append(Version).Append('\n')
            .Append("bucket=1h;retained_hours=").Append(RetainedHours).Append('\n')
            .Append("windows=1h:h0;24h:h0-23..h0;7d:h0-167..h0;lags_h:1,24,168;lags_d:1,7").Append('\n')
            .Append("grace_ticks=").Append(options.GracePeriod.Ticks.ToString(inv)).Append('\n')
            .Append("max_future_skew_ticks=").Append(options.MaxFutureSkew.Ticks.ToString(inv)).Append('\n')
            .Append("ewma_alpha=").Append(options.EwmaAlpha.ToString("R", inv)).Append('\n')
            .Append("max_empty_hours=").Append(options.MaxEmptyHoursReplayed.ToString(inv)).Append('\n')
            .Append("distinct_cap=").Append(options.DistinctCustomerCap.ToString(inv)).Append('\n')
            .Append("holidays=").Append(string.Join(',', holidays.Canonical)).Append('\n');
        foreach (var definition in AllDefinitions)
        {
            text.Append("feature=").Append(definition.Name).Append('\n');
        }

        return text.ToString();
    }
}

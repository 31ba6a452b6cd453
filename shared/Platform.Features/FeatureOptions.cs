using System.Globalization;

namespace Platform.Features;

/// <summary>
/// Parameters of the feature computation. Every one that can change a feature value is part of
/// <see cref="FeatureSchema.Hash"/>, so a model trained under one set can be checked against the serving set.
/// </summary>
public sealed class FeatureOptions
{
    /// <summary>Fixed-date retail holidays that recur every year (MM-dd).</summary>
    public static readonly IReadOnlyList<string> DefaultHolidays = ["01-01", "02-14", "10-31", "12-24", "12-25", "12-26", "12-31"];

    /// <summary>How far behind the latest event time the watermark trails; events at or before the watermark are late.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An event more than this ahead of the latest event time seen is applied but classed as skewed, and moves the
    /// latest event time forward by at most this much: one bad clock cannot push the watermark arbitrarily far.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Smoothing factor of the hourly-demand EWMA mean and variance, in (0, 1].</summary>
    public double EwmaAlpha { get; init; } = 0.1;

    /// <summary>
    /// Most consecutive zero-demand hours fed to the EWMA; beyond that the EWMA is left as it is. With the default
    /// alpha, 0.9^336 is below 1e-15, so the cap changes nothing measurable and bounds the work after long gaps.
    /// </summary>
    public int MaxEmptyHoursReplayed { get; init; } = 336;

    /// <summary>
    /// Most distinct customers remembered per entity over the last 24 hours; the feature saturates here. Keeps
    /// category entities, which see every customer, bounded in memory.
    /// </summary>
    public int DistinctCustomerCap { get; init; } = 10_000;

    /// <summary>How long below the watermark a line id is still remembered, so a redelivery reads as duplicate rather than late.</summary>
    public TimeSpan DuplicateRetention { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Holiday dates: "MM-dd" for every year or "yyyy-MM-dd" for one date (UTC calendar days).</summary>
    public IReadOnlyList<string> Holidays { get; init; } = DefaultHolidays;

    internal void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Check(GracePeriod >= TimeSpan.Zero, "GracePeriod must not be negative.");
        Check(MaxFutureSkew > TimeSpan.Zero, "MaxFutureSkew must be positive.");
        Check(EwmaAlpha is > 0 and <= 1, "EwmaAlpha must be in (0, 1].");
        Check(MaxEmptyHoursReplayed >= 0, "MaxEmptyHoursReplayed must not be negative.");
        Check(DistinctCustomerCap >= 1, "DistinctCustomerCap must be at least 1.");
        Check(DuplicateRetention >= TimeSpan.Zero, "DuplicateRetention must not be negative.");
        ArgumentNullException.ThrowIfNull(Holidays);
        _ = HolidayCalendar.Parse(Holidays);
    }
}

/// <summary>Holiday lookup by UTC calendar day.</summary>
internal sealed class HolidayCalendar
{
    private readonly HashSet<int> _annual;
    private readonly HashSet<DateOnly> _dated;

    private HolidayCalendar(HashSet<int> annual, HashSet<DateOnly> dated)
    {
        _annual = annual;
        _dated = dated;
    }

    /// <summary>The entries in one canonical form (sorted, normalised), for the schema hash.</summary>
    public IReadOnlyList<string> Canonical { get; private init; } = [];

    public static HolidayCalendar Parse(IReadOnlyList<string> entries)
    {
        var annual = new HashSet<int>();
        var dated = new HashSet<DateOnly>();
        foreach (var entry in entries)
        {
            var text = entry?.Trim() ?? "";
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dated.Add(date);
            }
            else if (DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                // 2000 is a leap year, so "02-29" is accepted.
                annual.Add(day.Month * 100 + day.Day);
            }
            else
            {
                throw new ArgumentException($"Holiday '{entry}' is neither MM-dd nor yyyy-MM-dd.");
            }
        }

        var canonical = annual.Order().Select(md => (md / 100).ToString("00", CultureInfo.InvariantCulture) + "-" + (md % 100).ToString("00", CultureInfo.InvariantCulture))
            .Concat(dated.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .ToArray();
        return new HolidayCalendar(annual, dated) { Canonical = canonical };
    }

    public bool IsHoliday(DateTime utc) =>
        _annual.Contains(utc.Month * 100 + utc.Day) || (_dated.Count > 0 && _dated.Contains(DateOnly.FromDateTime(utc)));
}

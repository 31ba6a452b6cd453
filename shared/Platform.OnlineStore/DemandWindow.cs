namespace Platform.OnlineStore;

/// <summary>
/// An entity's recent demand per complete UTC hour, as the feature store keeps it beside the entity's feature row:
/// the hours <see cref="End"/> − N … <see cref="End"/> − 1 (N = <see cref="Hours"/>), oldest first, zero where nothing
/// sold. <see cref="End"/> is the hour containing the writer's watermark, so every hour in the window is final. A
/// forecaster's lookback reads it; its first forecast period is <see cref="End"/>.
/// </summary>
public sealed class DemandWindow
{
    /// <summary>Most hours one window holds (the stored count is 16 bits; the feature store keeps far fewer).</summary>
    public const int MaxHours = ushort.MaxValue;

    public DemandWindow(string entityKey, DateTimeOffset end, DateTimeOffset asOf, int[] units, int[] lines, int[] promoLines)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityKey);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(promoLines);
        if (lines.Length != units.Length || promoLines.Length != units.Length || units.Length > MaxHours)
        {
            throw new ArgumentException(
                $"Window of '{entityKey}': units ({units.Length}), lines ({lines.Length}) and promotion lines ({promoLines.Length}) must cover the same hours, at most {MaxHours}.");
        }

        if (end.UtcTicks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentException($"Window of '{entityKey}' must end on a UTC hour (got {end:O}).", nameof(end));
        }

        EntityKey = entityKey;
        End = end.ToUniversalTime();
        AsOf = asOf.ToUniversalTime();
        Units = units;
        Lines = lines;
        PromoLines = promoLines;
    }

    public string EntityKey { get; }

    /// <summary>Start of the first hour after the window: the hour containing the watermark, and the first forecast period.</summary>
    public DateTimeOffset End { get; }

    /// <summary>The watermark the window was computed at (millisecond precision once stored).</summary>
    public DateTimeOffset AsOf { get; }

    public int Hours => Units.Length;

    /// <summary>Start of the oldest hour in the window.</summary>
    public DateTimeOffset Start => End.AddHours(-Hours);

    /// <summary>Units on sale lines per hour, oldest first (cancellations are not demand).</summary>
    public int[] Units { get; }

    /// <summary>Sale lines per hour, oldest first.</summary>
    public int[] Lines { get; }

    /// <summary>Sale lines that carried a promotion id, per hour, oldest first.</summary>
    public int[] PromoLines { get; }
}

namespace Platform.Simulator.Inventory;

/// <summary>
/// How the simulated inventory service stocks its SKUs. All times are simulated (event) time: the demo compresses
/// them, so an hour here may pass in a few real seconds.
/// </summary>
public sealed class InventoryOptions
{
    /// <summary>Same seed, same lead times, same delayed suppliers, same shipments (for the same input).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Shortest replenishment lead time a SKU's supplier is given (drawn uniformly per SKU).</summary>
    public double MinLeadTimeHours { get; set; } = 4;

    /// <summary>Longest replenishment lead time a SKU's supplier is given.</summary>
    public double MaxLeadTimeHours { get; set; } = 24;

    /// <summary>How often each SKU's stock is reviewed and topped up to its order-up-to level.</summary>
    public double ReviewPeriodHours { get; set; } = 1;

    /// <summary>Safety stock in units of the forecast's spread: <c>factor × Σ(P90 − P50)</c> over lead time plus review period.</summary>
    public double SafetyFactor { get; set; } = 1;

    /// <summary>Share of SKUs whose supplier ships late and short (the faults that make real stockouts happen).</summary>
    public double DelayedSupplierShare { get; set; } = 0.1;

    /// <summary>A delayed supplier's shipment arrives after <c>lead time × (1 + extra)</c>, extra drawn per shipment in [min, max].</summary>
    public double MinExtraDelay { get; set; } = 1.5;

    /// <inheritdoc cref="MinExtraDelay"/>
    public double MaxExtraDelay { get; set; } = 3;

    /// <summary>A delayed supplier delivers this share of what was ordered, drawn per shipment in [min, max].</summary>
    public double MinFillRate { get; set; } = 0.4;

    /// <inheritdoc cref="MinFillRate"/>
    public double MaxFillRate { get; set; } = 0.8;

    /// <summary>
    /// A SKU's level is published at most once per this much simulated time, except when its stock has just fallen below
    /// the lead-time P90 demand (the line the stockout judge uses) or run out: that is published at once.
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An event time further than this ahead of the book's clock is refused (time_out_of_range): one bad timestamp would
    /// otherwise run every SKU's reviews and shipments years ahead.
    /// </summary>
    public TimeSpan MaxClockJump { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Region of the published levels: the stock serves all regions.</summary>
    public string Region { get; set; } = "all";

    /// <summary>
    /// Read sales from orders.validated. False when the caller feeds them (<see cref="InventoryBook.ApplySale"/>) from the
    /// order system's own stream, as the embedded demo does, which saves one more reader of the busiest topic.
    /// </summary>
    public bool ConsumeOrders { get; set; } = true;

    /// <summary>Consumer group of <see cref="InventoryService"/>. One instance per group: the book holds every SKU.</summary>
    public string ConsumerGroup { get; set; } = "inventory-simulator";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException($"Inventory: {message}");
        }

        Check(MinLeadTimeHours > 0 && MaxLeadTimeHours >= MinLeadTimeHours && MaxLeadTimeHours <= 24 * 90,
            "MinLeadTimeHours must be positive and at most MaxLeadTimeHours, which must be at most 2160 (90 days).");
        Check(ReviewPeriodHours is >= 1.0 / 60 and <= 24 * 7, "ReviewPeriodHours must be in [1/60, 168].");
        Check(SafetyFactor is >= 0 and <= 10, "SafetyFactor must be in [0, 10].");
        Check(DelayedSupplierShare is >= 0 and <= 1, "DelayedSupplierShare must be in [0, 1].");
        Check(MinExtraDelay >= 0 && MaxExtraDelay >= MinExtraDelay && MaxExtraDelay <= 100, "MinExtraDelay must be non-negative and at most MaxExtraDelay (at most 100).");
        Check(MinFillRate >= 0 && MaxFillRate >= MinFillRate && MaxFillRate <= 1, "MinFillRate and MaxFillRate must satisfy 0 <= min <= max <= 1.");
        Check(PublishInterval >= TimeSpan.Zero, "PublishInterval must not be negative.");
        Check(MaxClockJump > TimeSpan.Zero, "MaxClockJump must be positive.");
        Check(!string.IsNullOrWhiteSpace(Region), "Region must not be empty.");
        Check(!string.IsNullOrWhiteSpace(ConsumerGroup), "ConsumerGroup must not be empty.");
    }
}

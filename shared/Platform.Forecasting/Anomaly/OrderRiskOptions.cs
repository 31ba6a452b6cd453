namespace Platform.Forecasting.Anomaly;

/// <summary>Settings of <see cref="OrderRiskScorer"/>. See docs/models.md, "Order risk".</summary>
public sealed record OrderRiskOptions
{
    /// <summary>Score at or above which an input is risky (same scale as the series detector: 0.8 = one in 10^8).</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Lines a SKU needs before its price and quantity can be judged.</summary>
    public int MinLinesPerSku { get; init; } = 20;

    /// <summary>Memory of a SKU's robust price, in lines.</summary>
    public double PriceMemory { get; init; } = 30;

    /// <summary>
    /// Smallest price scale, in natural-log units: ordinary repricing (±15 %) and discounts stay far below the
    /// threshold, while ×100 and ×0.01 errors (±4.6) score 1.
    /// </summary>
    public double MinPriceScale { get; init; } = 0.15;

    /// <summary>A line that carries a promotion id may be this much cheaper than usual (0.5 = half price) before it counts as low.</summary>
    public double PromotionDiscountAllowance { get; init; } = 0.5;

    /// <summary>A price that stays abnormal this long (no normal line in between) is a deliberate repricing and becomes the baseline.</summary>
    public TimeSpan AdoptPriceAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Memory of a SKU's robust quantity, in lines.</summary>
    public double QuantityMemory { get; init; } = 200;

    /// <summary>
    /// Smallest quantity scale, in natural-log units, so a SKU that always sells one unit is not alarmed by a pack
    /// of six: a quantity must be about e^(5.7 × scale) times the SKU's usual one to score 0.8.
    /// </summary>
    public double MinQuantityScale { get; init; } = 0.8;

    /// <summary>Windows over which a customer's order count is judged; the strongest evidence counts.</summary>
    public IReadOnlyList<TimeSpan> VelocityWindows { get; init; } = [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    /// <summary>Memory of each customer's share of all orders.</summary>
    public TimeSpan CustomerHistory { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Population floor: any customer may place this many orders per hour without evidence against them.</summary>
    public double MinCustomerOrdersPerHour { get; init; } = 2;

    /// <summary>Orders seen before velocity is judged, so the population's rate is known.</summary>
    public long WarmupOrders { get; init; } = 2000;

    /// <summary>An incident of one input on one SKU or customer ends after this long without an abnormal order.</summary>
    public TimeSpan IncidentQuietPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Customers idle this long are forgotten (checked every 100,000 orders), so memory stays bounded.</summary>
    public TimeSpan ForgetCustomersAfter { get; init; } = TimeSpan.FromDays(30);

    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Check(Threshold is > 0 and < 1, "The threshold must be in (0, 1).");
        Check(MinLinesPerSku >= 1, "MinLinesPerSku must be at least 1.");
        Check(PriceMemory >= 1 && QuantityMemory >= 1, "Memories must be at least 1 line.");
        Check(MinPriceScale > 0 && MinQuantityScale > 0, "Minimum scales must be positive.");
        Check(PromotionDiscountAllowance is >= 0 and < 1, "PromotionDiscountAllowance must be in [0, 1).");
        Check(AdoptPriceAfter > TimeSpan.Zero, "AdoptPriceAfter must be positive.");
        Check(VelocityWindows is { Count: > 0 } && VelocityWindows.All(w => w > TimeSpan.Zero), "VelocityWindows needs at least one positive window.");
        Check(CustomerHistory > TimeSpan.Zero && ForgetCustomersAfter > TimeSpan.Zero, "CustomerHistory and ForgetCustomersAfter must be positive.");
        Check(MinCustomerOrdersPerHour > 0, "MinCustomerOrdersPerHour must be positive.");
        Check(WarmupOrders >= 0, "WarmupOrders must not be negative.");
        Check(IncidentQuietPeriod > TimeSpan.Zero, "IncidentQuietPeriod must be positive.");
    }
}

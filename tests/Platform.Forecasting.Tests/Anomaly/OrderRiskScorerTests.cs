using Platform.Contracts;
using Platform.Forecasting.Anomaly;

namespace Platform.Forecasting.Tests.Anomaly;

public class OrderRiskScorerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(100.0)]
    [InlineData(0.01)]
    public void Risk_FlagsAPriceErrorAndNamesIt(double factor)
    {
        var scorer = WarmScorer(out var t);
        var risk = scorer.Score(Order("bad", "C9", t, Line("SKU-1", 2, 2.95m * (decimal)factor)));

        Assert.True(risk.IsRisky);
        Assert.Equal(1, risk.Score, 3);
        Assert.Equal("unit_price:SKU-1", risk.Contributors[0].Name);
        Assert.Equal(2.95, risk.Contributors[0].Baseline, 2);
        var incident = Assert.Single(risk.NewIncidents);
        Assert.Equal((RiskReasons.UnitPrice, "SKU-1"), (incident.Reason, incident.Target));
    }

    [Fact]
    public void Risk_OrdinaryRepricingAndPromotionsAreNotRisky()
    {
        var scorer = WarmScorer(out var t);
        Assert.False(scorer.Score(Order("up", "C9", t, Line("SKU-1", 2, 3.25m))).IsRisky);
        Assert.False(scorer.Score(Order("promo", "C9", t.AddMinutes(1), Line("SKU-1", 2, 1.60m) with { PromotionId = "PROMO-1" })).IsRisky);
        // Half price without a promotion id is suspicious.
        Assert.True(scorer.Score(Order("half", "C9", t.AddMinutes(2), Line("SKU-1", 2, 0.95m))).IsRisky);
    }

    [Fact]
    public void Risk_OneIncidentWhileAnErrorGoesOn()
    {
        var scorer = WarmScorer(out var t);
        var incidents = new List<RiskIncident>();
        for (var i = 0; i < 30; i++)
        {
            var risk = scorer.Score(Order($"e{i}", $"C{i}", t.AddMinutes(i * 3), Line("SKU-1", 1, 295m)));
            Assert.True(risk.IsRisky);
            incidents.AddRange(risk.NewIncidents);
        }

        Assert.Single(incidents);
        // The wrong price was not learnt: the right price is still normal, and the error two hours later is a new incident.
        Assert.False(scorer.Score(Order("ok", "C1", t.AddMinutes(100), Line("SKU-1", 1, 2.95m))).IsRisky);
        Assert.Single(scorer.Score(Order("again", "C2", t.AddHours(4), Line("SKU-1", 1, 295m))).NewIncidents);
    }

    [Fact]
    public void Risk_FlagsAHugeQuantityButNotAPack()
    {
        var scorer = WarmScorer(out var t);
        Assert.False(scorer.Score(Order("pack", "C9", t, Line("SKU-1", 24, 2.95m))).IsRisky);
        var risk = scorer.Score(Order("bulk", "C9", t.AddMinutes(1), Line("SKU-1", 5000, 2.95m)));
        Assert.True(risk.IsRisky);
        Assert.Equal("quantity:SKU-1", risk.Contributors[0].Name);
    }

    [Fact]
    public void Risk_FlagsACustomerBurstOnce()
    {
        var scorer = WarmScorer(out var t);
        var incidents = new List<RiskIncident>();
        var risky = 0;
        // 60 orders in 30 minutes from one customer who never ordered before.
        for (var i = 0; i < 60; i++)
        {
            var risk = scorer.Score(Order($"b{i}", "C-BURST", t.AddSeconds(i * 30), Line("SKU-2", 1, 1.25m)));
            incidents.AddRange(risk.NewIncidents);
            if (risk.IsRisky) risky++;
        }

        var incident = Assert.Single(incidents);
        Assert.Equal((RiskReasons.CustomerVelocity, "C-BURST"), (incident.Reason, incident.Target));
        Assert.True(risky > 40);
        // Two orders in an hour from someone else are normal.
        Assert.False(scorer.Score(Order("n1", "C-CALM", t.AddMinutes(40), Line("SKU-2", 1, 1.25m))).IsRisky);
        Assert.False(scorer.Score(Order("n2", "C-CALM", t.AddMinutes(70), Line("SKU-2", 1, 1.25m))).IsRisky);
    }

    [Fact]
    public void Risk_IgnoresCancellationsAndGuests()
    {
        var scorer = WarmScorer(out var t);
        var cancel = Order("x", "C9", t, Line("SKU-1", 1, 295m)) with { EventType = OrderEventTypes.Cancelled };
        Assert.Equal(0, scorer.Score(cancel).Score);
        for (var i = 0; i < 50; i++) Assert.False(scorer.Score(Order($"g{i}", null, t.AddSeconds(i), Line("SKU-2", 1, 1.25m))).IsRisky);
    }

    [Fact]
    public void Risk_NoPriceVerdictBeforeASkuHasHistory()
    {
        var scorer = new OrderRiskScorer();
        var risk = scorer.Score(Order("first", "C1", T0, Line("NEW", 1, 999m)));
        Assert.False(risk.IsRisky);
        Assert.Empty(risk.Contributors);
    }

    /// <summary>A scorer that has seen 2,500 ordinary orders: SKU-1 at 2.95 in packs of 1 to 6, SKU-2 at 1.25, many customers.</summary>
    private static OrderRiskScorer WarmScorer(out DateTimeOffset next)
    {
        var scorer = new OrderRiskScorer();
        var packs = new[] { 1, 2, 1, 3, 6, 1, 2, 4 };
        var t = T0;
        for (var i = 0; i < 2500; i++)
        {
            t = t.AddSeconds(6);
            var risk = scorer.Score(Order($"o{i}", $"C{i % 400}", t, Line("SKU-1", packs[i % packs.Length], 2.95m), Line("SKU-2", 1, 1.25m)));
            Assert.False(risk.IsRisky);
        }

        next = t.AddSeconds(6);
        return scorer;
    }

    private static OrderLine Line(string sku, int quantity, decimal price) => new() { Sku = sku, Quantity = quantity, UnitPrice = price };

    private static OrderEvent Order(string id, string? customer, DateTimeOffset at, params OrderLine[] lines) => new()
    {
        OrderId = id,
        CustomerId = customer,
        OccurredAt = at,
        Currency = "EUR",
        Lines = lines,
    };
}

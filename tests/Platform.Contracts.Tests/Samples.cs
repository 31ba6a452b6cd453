namespace Platform.Contracts.Tests;

/// <summary>One instance of each message record with every property set to a non-default value.</summary>
internal static class Samples
{
    private static readonly DateTimeOffset T = new(2026, 11, 27, 13, 5, 0, TimeSpan.FromHours(1));

    public static readonly IReadOnlyList<object> All =
    [
        new OrderEvent
        {
            SchemaVersion = 1,
            EventType = OrderEventTypes.Cancelled,
            OrderId = "cnl-1",
            CancelsOrderId = "ord-1",
            CustomerId = "cust-1",
            OccurredAt = T,
            Currency = "EUR",
            Region = "eu-west",
            Channel = "web",
            Lines =
            [
                new OrderLine { Sku = "84879", Quantity = 2, UnitPrice = 19.99m, PromotionId = "BF2026", Category = "Home-Decor" },
                new OrderLine { Sku = "22423", Quantity = 1, UnitPrice = 125.50m, PromotionId = "P2" },
            ],
        },
        new OrderLineValidated
        {
            SchemaVersion = 1,
            LineId = "cnl-1:1",
            OrderId = "cnl-1",
            LineNumber = 1,
            LineCount = 2,
            Kind = OrderLineKinds.Cancellation,
            CancelsOrderId = "ord-1",
            Sku = "84879",
            Category = "home-decor",
            Quantity = -2,
            UnitPrice = 19.99m,
            Currency = "EUR",
            Region = "eu-west",
            Channel = "web",
            CustomerHash = "3f7a9c0e5b1d24686f0a2c4e6b8d1f35",
            PromotionId = "BF2026",
            OccurredAt = T,
            IngestedAt = T.AddSeconds(1.5),
        },
        new OrderRejected
        {
            SchemaVersion = 1,
            Reason = RejectionReasons.QuantityNotPositive,
            Detail = "quantity must be positive; the event type gives the sign.",
            Field = "$.lines[0].quantity",
            OrderId = "ord-2",
            Source = "kafka",
            SourceTopic = Topics.OrdersRaw,
            SourcePartition = 3,
            SourceOffset = 418_873_000_000L,
            RejectedAt = T,
            Payload = "{\"order_id\":\"ord-2\"}",
            PayloadTruncated = true,
        },
        new FeaturesUpdated
        {
            SchemaVersion = 1,
            EntityType = "sku",
            EntityKey = "sku:84879",
            AsOf = T,
            Changed = ["units_1h", "units_24h"],
            FeatureSchemaHash = "sha256:9b1c",
        },
        new DemandForecast
        {
            SchemaVersion = 1,
            Sku = "84879",
            Region = "eu-west",
            ModelVersion = "m-3",
            GeneratedAt = T,
            FeatureAsOf = T.AddMinutes(-1),
            StepUnit = "day",
            Steps =
            [
                new ForecastStep { Step = 1, PeriodStart = T, P10 = 1.5, P50 = 2.5, P90 = 4 },
                new ForecastStep { Step = 2, PeriodStart = T.AddDays(1), P10 = 1, P50 = 2, P90 = 3.25 },
            ],
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        },
        new AnomalyAlert
        {
            SchemaVersion = 1,
            AlertId = "al-1",
            Kind = AnomalyKinds.StockoutRisk,
            Sku = "84879",
            Region = "eu-west",
            Severity = "critical",
            Score = 0.97,
            Observed = 142,
            ExpectedP10 = 12,
            ExpectedP50 = 18.5,
            ExpectedP90 = 27,
            WindowStart = T,
            WindowEnd = T.AddHours(1),
            DetectedAt = T.AddHours(1).AddSeconds(3),
            ModelVersion = "a-1",
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            Summary = "Stock runs out in 20 hours.",
            Contributors = [new AnomalyContributor { Name = "units_1h", Value = 142, Baseline = 18.5 }],
        },
        new InventoryLevel
        {
            SchemaVersion = 1,
            Sku = "84879",
            Region = "eu-west",
            OnHand = 340,
            OnOrder = 500.5,
            LeadTimeHours = 72,
            AsOf = T,
        },
    ];

    public static TheoryData<string> TypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var sample in All)
        {
            data.Add(sample.GetType().Name);
        }

        return data;
    }

    public static object Get(string typeName) => All.Single(s => s.GetType().Name == typeName);
}

using Confluent.Kafka;
using Platform.Contracts;
using Platform.Inference.Pipeline;

namespace Platform.Inference.Tests;

public sealed class RegionVolumeMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly (string Region, double Share)[] Regions = [("eu", 0.4), ("us", 0.3), ("uk", 0.2), ("apac", 0.1)];

    [Fact]
    public void RegionVolume_ARegionsOrdersStop_RaisesOneAlertPerIncident_NamingTheRegion()
    {
        var monitor = new RegionVolumeMonitor(new AnomalyOptions());
        var random = new Random(5);
        var alerts = new List<AnomalyAlert>();
        // 12 normal buckets, 4 with eu down to 2 % of its orders, 6 normal, then eu down again.
        for (var bucket = 0; bucket < 26; bucket++)
        {
            var euFactor = bucket is >= 12 and < 16 or >= 22 ? 0.02 : 1;
            alerts.AddRange(Step(monitor, Bucket(bucket, 200, random, euFactor)));
        }

        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a =>
        {
            Assert.Equal(AnomalyKinds.OrderVolumeDrop, a.Kind);
            Assert.Equal("eu", a.Region);
            Assert.Equal("", a.Sku);
            Assert.InRange(a.Score, 0.8, 1);
            Assert.True(a.Observed < a.ExpectedP10, $"{a.Observed} against {a.ExpectedP10}–{a.ExpectedP90}");
        });
        Assert.Equal(T0.AddMinutes(15 * 12), alerts[0].WindowStart);
        Assert.Equal(T0.AddMinutes(15 * 22), alerts[1].WindowStart);
    }

    [Fact]
    public void RegionVolume_NormalTrafficThroughDayAndNight_RaisesNothing()
    {
        var monitor = new RegionVolumeMonitor(new AnomalyOptions());
        var random = new Random(11);
        var alerts = new List<AnomalyAlert>();
        // Three days of 15-minute buckets whose volume follows the hour of day (10 to 400 orders).
        for (var bucket = 0; bucket < 3 * 96; bucket++)
        {
            var hour = bucket / 4 % 24;
            var volume = 10 + 390 * Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 16));
            alerts.AddRange(Step(monitor, Bucket(bucket, (int)volume, random, 1)));
        }

        Assert.Empty(alerts);
    }

    [Fact]
    public void RegionVolume_ABatchObservedAgainWithoutCommit_GivesTheSameAlerts()
    {
        var monitor = new RegionVolumeMonitor(new AnomalyOptions());
        var random = new Random(3);
        for (var bucket = 0; bucket < 10; bucket++)
        {
            Step(monitor, Bucket(bucket, 200, random, 1));
        }

        var outage = Bucket(10, 200, random, 0).Concat(Bucket(11, 200, random, 0)).ToList();
        var first = monitor.Observe(outage, T0, _ => "t1");
        var retried = monitor.Observe(outage, T0, _ => "t1");

        var alert = Assert.Single(first.Alerts).Alert;
        var again = Assert.Single(retried.Alerts).Alert;
        Assert.Equal((alert.AlertId, alert.Observed, alert.ExpectedP50, alert.Score), (again.AlertId, again.Observed, again.ExpectedP50, again.Score));
    }

    [Fact]
    public void RegionVolume_OnlyFirstLinesOfSalesCount()
    {
        var monitor = new RegionVolumeMonitor(new AnomalyOptions());
        var random = new Random(9);
        var alerts = new List<AnomalyAlert>();
        for (var bucket = 0; bucket < 20; bucket++)
        {
            // eu's orders keep coming, but from bucket 10 only as second lines and cancellations: no eu order is counted.
            var lines = Bucket(bucket, 200, random, 1).Select(l => bucket >= 10 && l.Line.Region == "eu"
                ? l with { Line = l.Line with { LineNumber = random.Next(2) == 0 ? 2 : 1, Kind = OrderLineKinds.Cancellation } }
                : l).ToList();
            alerts.AddRange(Step(monitor, lines));
        }

        Assert.Equal("eu", Assert.Single(alerts).Region);
    }

    private static List<AnomalyAlert> Step(RegionVolumeMonitor monitor, List<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)> lines)
    {
        var pending = monitor.Observe(lines, T0, _ => null);
        monitor.Commit(pending);
        return pending.Alerts.Select(a => a.Alert).ToList();
    }

    private static List<(ConsumeResult<byte[]?, byte[]?> Record, OrderLineValidated Line)> Bucket(int bucket, int orders, Random random, double euFactor)
    {
        var lines = new List<(ConsumeResult<byte[]?, byte[]?>, OrderLineValidated)>();
        var start = T0.AddMinutes(15 * bucket);
        foreach (var (region, share) in Regions)
        {
            var count = Poisson(random, orders * share * (region == "eu" ? euFactor : 1));
            for (var i = 0; i < count; i++)
            {
                var at = start.AddSeconds(random.Next(15 * 60));
                var id = $"{bucket}-{region}-{i}";
                lines.Add((new ConsumeResult<byte[]?, byte[]?> { Topic = Topics.OrdersValidated, Message = new Message<byte[]?, byte[]?>() },
                    new OrderLineValidated
                    {
                        LineId = id + ":1", OrderId = id, LineNumber = 1, LineCount = 1, Sku = "S", Quantity = 1, UnitPrice = 1m, Currency = "EUR",
                        Region = region, Channel = "web", OccurredAt = at, IngestedAt = at,
                    }));
            }
        }

        return lines.OrderBy(l => l.Item2.OccurredAt).ToList();
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method in pieces, so large means do not underflow.
        var count = 0;
        while (mean > 0)
        {
            var step = Math.Min(mean, 30);
            mean -= step;
            var limit = Math.Exp(-step);
            var p = random.NextDouble();
            while (p > limit)
            {
                count++;
                p *= random.NextDouble();
            }
        }

        return count;
    }
}

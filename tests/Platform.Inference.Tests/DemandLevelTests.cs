using Platform.Contracts;
using Platform.Inference.Pipeline;
using Platform.OnlineStore;

namespace Platform.Inference.Tests;

/// <summary>
/// A shop of 40 SKUs, each forecast at 40 lines (80 units) an hour, judged hour by hour as the service does, through one
/// day the model does not know: from hour 4 every SKU sells twice its forecast (Black Friday), and from hour 7 one SKU
/// sells six times it.
/// </summary>
public sealed class DemandLevelTests
{
    private static readonly DateTimeOffset E0 = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private const int Skus = 40;
    private const int Hours = 10;

    [Fact]
    public void Level_EverySkuMovesTogether_IsOneShopWideAlert_AndTheRealSpikeStillStandsOut()
    {
        var alerts = RunDay(new AnomalyOptions());

        var shop = Assert.Single(alerts, a => a.Sku == "");
        Assert.Equal(AnomalyKinds.DemandSpike, shop.Kind);
        Assert.Equal("all", shop.Region);
        Assert.Equal(E0.AddHours(4), shop.WindowStart);
        Assert.Equal(DemandLevel.DetectorName, shop.ModelVersion);
        Assert.InRange(shop.Observed / shop.ExpectedP50, 1.9, 2.1);
        var skuAlerts = alerts.Where(a => a.Sku != "").ToList();
        var spike = Assert.Single(skuAlerts);
        Assert.Equal(("S07", AnomalyKinds.DemandSpike, E0.AddHours(7)), (spike.Sku, spike.Kind, spike.WindowStart));
        // Judged at the shop's level: twice the forecast is the SKU's usual that day.
        Assert.Equal(160, spike.ExpectedP50, 8);
        Assert.Contains(spike.Contributors, c => c.Name == "shop_level" && c.Value is > 1.9 and < 2.2);
    }

    [Fact]
    public void Level_Off_EverySkuOfTheShopIsFlagged()
    {
        // The same day judged SKU by SKU against the bare forecasts: what the level saves on-call from.
        var alerts = RunDay(new AnomalyOptions { LevelHours = 0, SpikeHistoryScore = 0, DropHistoryScore = 0 });

        Assert.DoesNotContain(alerts, a => a.Sku == "");
        Assert.True(alerts.Count(a => a.Kind == AnomalyKinds.DemandSpike) >= Skus - 5, $"{alerts.Count} alerts");
    }

    [Fact]
    public void Level_ABatchJudgedAgainWithoutCommit_CountsItsHoursOnce()
    {
        var options = new AnomalyOptions();
        var level = new DemandLevel(options);
        var first = level.Begin();
        first.Add(E0, 400, 200);
        // A retried batch starts again from the committed state: its first attempt left nothing behind.
        var retry = level.Begin();
        retry.Add(E0, 400, 200);
        level.Commit(retry);

        Assert.Equal(2, level.Begin().LevelBefore(E0.AddHours(1)), 6);
        Assert.Equal(1, level.Begin().LevelBefore(E0), 6);
    }

    private static List<AnomalyAlert> RunDay(AnomalyOptions options)
    {
        var judge = new DemandAnomalyJudge(options);
        var level = new DemandLevel(options);
        var states = Enumerable.Range(0, Skus).Select(_ => new SkuDemandState()).ToArray();
        var alerts = new List<AnomalyAlert>();
        for (var end = 0; end <= Hours; end++)
        {
            // One batch per hour: every SKU's window moved past the hour before, as the notices of a new hour do.
            var batch = level.Begin();
            for (var s = 0; s < Skus; s++)
            {
                judge.Observe(states[s], Forecast(s, E0.AddHours(end)), batch, E0.AddHours(end), null, alerts);
            }

            alerts.AddRange(batch.JudgeSettledHours(E0.AddHours(end), null));
            level.Commit(batch);
        }

        return alerts;
    }

    private static int LinesOf(int sku, int hour) => 40 * (hour >= 4 ? 2 : 1) * (sku == 7 && hour >= 7 ? 3 : 1);

    private static SkuForecast Forecast(int sku, DateTimeOffset end)
    {
        const int window = 168;
        var units = new int[window];
        var lines = new int[window];
        for (var i = 0; i < window; i++)
        {
            var hour = (int)(end.AddHours(i - window) - E0).TotalHours;
            lines[i] = hour >= 0 ? LinesOf(sku, hour) : 40;
            units[i] = 2 * lines[i];
        }

        var name = $"S{sku:D2}";
        return new SkuForecast(name, new DemandWindow($"sku:{name}", end, end.AddMinutes(5), units, lines, new int[window]), null, "v0001",
            Enumerable.Repeat(60.0, 24).ToArray(), Enumerable.Repeat(80.0, 24).ToArray(), Enumerable.Repeat(100.0, 24).ToArray());
    }
}

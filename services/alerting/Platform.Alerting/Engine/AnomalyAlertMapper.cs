using System.Globalization;
using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Engine;

/// <summary>Turns a detection from alerts.anomalies into the labels and annotations the engine works with.</summary>
public static class AnomalyAlertMapper
{
    public static string FingerprintOf(AnomalyAlert alert) => AlertFingerprint.For(alert.Kind, alert.Sku, alert.Region);

    /// <summary>What routing, grouping, inhibition and silences match on: alertname (= kind), kind, sku, region, severity.</summary>
    public static Dictionary<string, string> Labels(AnomalyAlert alert) => new(StringComparer.Ordinal)
    {
        [AlertLabels.AlertName] = alert.Kind,
        [AlertLabels.Kind] = alert.Kind,
        [AlertLabels.Sku] = alert.Sku,
        [AlertLabels.Region] = alert.Region,
        [AlertLabels.Severity] = alert.Severity,
    };

    /// <summary>What a person reads: the detection's summary and numbers, the model version and the trace id.</summary>
    public static Dictionary<string, string> Annotations(AnomalyAlert alert)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = string.IsNullOrWhiteSpace(alert.Summary) ? DefaultSummary(alert) : alert.Summary,
            ["score"] = Number(alert.Score),
            ["observed"] = Number(alert.Observed),
            ["expected_p10"] = Number(alert.ExpectedP10),
            ["expected_p50"] = Number(alert.ExpectedP50),
            ["expected_p90"] = Number(alert.ExpectedP90),
            ["window_start"] = alert.WindowStart.ToString("O", CultureInfo.InvariantCulture),
            ["window_end"] = alert.WindowEnd.ToString("O", CultureInfo.InvariantCulture),
            ["detected_at"] = alert.DetectedAt.ToString("O", CultureInfo.InvariantCulture),
            ["alert_id"] = alert.AlertId,
        };
        if (!string.IsNullOrEmpty(alert.ModelVersion))
        {
            annotations["model_version"] = alert.ModelVersion;
        }

        if (!string.IsNullOrEmpty(alert.TraceId))
        {
            annotations["trace_id"] = alert.TraceId;
        }

        if (alert.Contributors.Count > 0)
        {
            annotations["contributors"] = string.Join("; ", alert.Contributors.Select(c =>
                $"{c.Name}={Number(c.Value)} (baseline {Number(c.Baseline)})"));
        }

        return annotations;
    }

    private static string DefaultSummary(AnomalyAlert alert) =>
        $"{alert.Kind} for SKU {alert.Sku} in {alert.Region}: observed {Number(alert.Observed)}, expected {Number(alert.ExpectedP10)}–{Number(alert.ExpectedP90)}";

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "";
}

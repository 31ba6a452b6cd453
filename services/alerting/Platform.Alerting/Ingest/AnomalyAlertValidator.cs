using System.Text.Json;
using Platform.Alerting.Model;
using Platform.Contracts;

namespace Platform.Alerting.Ingest;

/// <summary>Reads one alerts.anomalies record; says why (a <see cref="RejectionReasons"/> code and a sentence) when it cannot be used.</summary>
public static class AnomalyAlertValidator
{
    /// <summary>Longest kind, SKU or region (the platform's id limit).</summary>
    public const int MaxIdLength = 64;

    public static bool TryRead(byte[]? value, out AnomalyAlert alert, out string reason, out string detail)
    {
        alert = null!;
        if (value is null || value.Length == 0)
        {
            return Fail(RejectionReasons.EmptyPayload, "the record has no value", out reason, out detail);
        }

        AnomalyAlert? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(value, ContractsJsonContext.Default.AnomalyAlert);
        }
        catch (JsonException ex)
        {
            return Fail(RejectionReasons.MalformedJson, ex.Message, out reason, out detail);
        }

        if (parsed is null)
        {
            return Fail(RejectionReasons.MalformedJson, "the value is JSON null", out reason, out detail);
        }

        if (parsed.SchemaVersion != 1)
        {
            return Fail(RejectionReasons.UnsupportedSchemaVersion, $"schema_version {parsed.SchemaVersion}; this service reads 1", out reason, out detail);
        }

        if (string.IsNullOrEmpty(parsed.Kind))
        {
            return Fail(RejectionReasons.MissingField, "kind is missing", out reason, out detail);
        }

        foreach (var (name, text) in new[] { ("kind", parsed.Kind), ("sku", parsed.Sku), ("region", parsed.Region) })
        {
            if (text is null)
            {
                return Fail(RejectionReasons.MissingField, $"{name} is null", out reason, out detail);
            }

            if (text.Length > MaxIdLength)
            {
                return Fail(RejectionReasons.StringTooLong, $"{name} is longer than {MaxIdLength} characters", out reason, out detail);
            }

            if (text.Any(char.IsControl))
            {
                return Fail(RejectionReasons.ControlCharacters, $"{name} contains control characters", out reason, out detail);
            }
        }

        if (!AlertLabels.Severities.Contains(parsed.Severity))
        {
            return Fail(RejectionReasons.InvalidField, $"severity \"{Truncate(parsed.Severity)}\" is not one of {string.Join(", ", AlertLabels.Severities)}", out reason, out detail);
        }

        alert = parsed;
        reason = "";
        detail = "";
        return true;
    }

    private static bool Fail(string code, string message, out string reason, out string detail)
    {
        reason = code;
        detail = message;
        return false;
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length <= MaxIdLength ? value : value[..MaxIdLength] + "…";
}

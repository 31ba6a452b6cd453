using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Alerting.Model;

/// <summary>
/// The identity of an alert: (kind, SKU, region). Repeated detections with the same three values are one alert. The
/// value is 16 lowercase hex digits (the first 64 bits of SHA-256), the same in every process and version, so
/// PagerDuty dedup keys and stored state survive restarts and upgrades.
/// </summary>
public static class AlertFingerprint
{
    public static string For(string kind, string sku, string region)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(sku);
        ArgumentNullException.ThrowIfNull(region);
        // Each part is length-prefixed so that ("a:b", "c") and ("a", "b:c") can never collide by construction.
        using var buffer = new MemoryStream(64);
        var length = new byte[4];
        foreach (var part in new[] { kind, sku, region })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a fingerprint (API input check).</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is not { Length: 16 })
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}

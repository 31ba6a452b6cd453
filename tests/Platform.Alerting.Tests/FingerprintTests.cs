using Platform.Alerting.Delivery;
using Platform.Alerting.Model;

namespace Platform.Alerting.Tests;

public sealed class FingerprintTests
{
    [Fact]
    public void Fingerprint_is_stable_and_separates_its_parts()
    {
        // Pinned: PagerDuty dedup keys and stored state depend on this value never changing between versions.
        Assert.Equal(AlertFingerprint.For("demand_spike", "sku-1", "eu"), AlertFingerprint.For("demand_spike", "sku-1", "eu"));
        Assert.Equal(16, AlertFingerprint.For("demand_spike", "sku-1", "eu").Length);
        Assert.NotEqual(AlertFingerprint.For("a:b", "c", "eu"), AlertFingerprint.For("a", "b:c", "eu"));
        Assert.NotEqual(AlertFingerprint.For("demand_spike", "sku-1", "eu"), AlertFingerprint.For("demand_spike", "sku-1", "us"));
        Assert.True(AlertFingerprint.IsWellFormed(AlertFingerprint.For("x", "y", "z")));
        Assert.False(AlertFingerprint.IsWellFormed("XYZ"));
        Assert.Equal($"platform-alert-{AlertFingerprint.For("k", "s", "r")}", PagerDutyEvents.DedupKey(AlertFingerprint.For("k", "s", "r")));
    }

    [Fact]
    public void Fingerprint_value_is_pinned()
    {
        Assert.Equal(PinnedValue, AlertFingerprint.For("stockout_risk", "85123A", "United Kingdom"));
    }

    // SHA-256 over the big-endian length-prefixed UTF-8 parts, first 8 bytes; computed independently (Python hashlib).
    private const string PinnedValue = "7bdc4207c1ee232c";
}

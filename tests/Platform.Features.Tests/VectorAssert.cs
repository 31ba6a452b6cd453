namespace Platform.Features.Tests;

internal static class VectorAssert
{
    /// <summary>Equal bit for bit (NaN equals NaN), or within 1e-9 relative; the message names the feature.</summary>
    public static void Equal(FeatureVector expected, FeatureVector actual)
    {
        Assert.Equal(expected.EntityKey, actual.EntityKey);
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(expected.SchemaHash, actual.SchemaHash);
        Assert.True(expected.LastEventAt == actual.LastEventAt,
            $"{expected.EntityKey} as of {expected.AsOf:O}: last event {expected.LastEventAt:O} != {actual.LastEventAt:O}");
        for (var i = 0; i < expected.Values.Length; i++)
        {
            var (e, a) = (expected.Values[i], actual.Values[i]);
            var same = e.Equals(a) || Math.Abs(e - a) <= 1e-9 * Math.Max(1, Math.Abs(e));
            Assert.True(same, $"{expected.EntityKey} as of {expected.AsOf:O}: {FeatureSchema.Default.Names[i]} expected {e:R}, got {a:R}");
        }
    }
}

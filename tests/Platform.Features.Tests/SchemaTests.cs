namespace Platform.Features.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void Hash_IsStable_ForEqualOptions()
    {
        Assert.Equal(FeatureSchema.Default.Hash, new FeatureSchema(new FeatureOptions()).Hash);
        Assert.Matches("^[0-9a-f]{16}$", FeatureSchema.Default.Hash);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("grace")]
    [InlineData("skew")]
    [InlineData("empty")]
    [InlineData("cap")]
    [InlineData("holidays")]
    public void Hash_Changes_WhenAParameterChanges(string parameter)
    {
        var options = parameter switch
        {
            "alpha" => new FeatureOptions { EwmaAlpha = 0.2 },
            "grace" => new FeatureOptions { GracePeriod = TimeSpan.FromMinutes(5) },
            "skew" => new FeatureOptions { MaxFutureSkew = TimeSpan.FromHours(2) },
            "empty" => new FeatureOptions { MaxEmptyHoursReplayed = 100 },
            "cap" => new FeatureOptions { DistinctCustomerCap = 500 },
            _ => new FeatureOptions { Holidays = ["12-25"] },
        };

        Assert.NotEqual(FeatureSchema.Default.Hash, new FeatureSchema(options).Hash);
    }

    [Fact]
    public void Hash_IgnoresHolidayOrderAndSpelling()
    {
        var a = new FeatureSchema(new FeatureOptions { Holidays = ["12-25", "2026-11-27"] });
        var b = new FeatureSchema(new FeatureOptions { Holidays = [" 2026-11-27", "12-25", "12-25"] });
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Names_AreUniqueAndDescribed()
    {
        var schema = FeatureSchema.Default;
        Assert.Equal(schema.Count, schema.Names.Distinct().Count());
        Assert.All(schema.Definitions, d => Assert.False(string.IsNullOrWhiteSpace(d.Description)));
        Assert.Equal("qty_1h", schema.Names[0]);
        Assert.Equal(schema.Names.Count - 1, schema.IndexOf("is_holiday"));
    }
}

namespace Platform.OnlineStore.Tests;

/// <summary>What the Redis store hands out as an entity's values must behave as any read-only dictionary.</summary>
public sealed class FeatureVectorTests
{
    private static readonly FeatureLayout Layout = new(["b", "a", "c"]);

    private static FeatureVector Vector(params double[] values) => new(Layout, values);

    [Fact]
    public void Lookups_FindEveryFeatureByName()
    {
        IReadOnlyDictionary<string, double> vector = Vector(2, 1, double.NaN);

        Assert.Equal(3, vector.Count);
        Assert.Equal(1, vector["a"]);
        Assert.Equal(2, vector["b"]);
        Assert.True(double.IsNaN(vector["c"]));
        Assert.True(vector.ContainsKey("a"));
        Assert.False(vector.ContainsKey("A"));
        Assert.True(vector.TryGetValue("b", out var b) && b == 2);
        Assert.False(vector.TryGetValue("d", out var d));
        Assert.Equal(0, d);
    }

    [Fact]
    public void Indexer_UnknownName_ThrowsKeyNotFound()
    {
        var vector = Vector(2, 1, 3);

        var thrown = Assert.Throws<KeyNotFoundException>(() => vector["missing"]);
        Assert.Contains("missing", thrown.Message);
        Assert.Throws<ArgumentNullException>(() => vector[null!]);
    }

    [Fact]
    public void Enumeration_KeysAndValues_AreInStoredOrderAndAgree()
    {
        IReadOnlyDictionary<string, double> vector = Vector(2, 1, 3);

        Assert.Equal([KeyValuePair.Create("b", 2.0), KeyValuePair.Create("a", 1.0), KeyValuePair.Create("c", 3.0)], vector.ToList());
        Assert.Equal(["b", "a", "c"], vector.Keys);
        Assert.Equal([2.0, 1.0, 3.0], vector.Values);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, vector.ToDictionary());

        // Enumerating twice (and through the non-generic interface) gives the same.
        Assert.Equal(vector.ToList(), vector.ToList());
        Assert.Equal(3, ((System.Collections.IEnumerable)vector).Cast<object>().Count());
    }

    [Fact]
    public void KeysAndValues_CannotBeWrittenThrough()
    {
        var values = new double[] { 2, 1, 3 };
        IReadOnlyDictionary<string, double> vector = new FeatureVector(Layout, values);

        Assert.False(vector.Keys is string[]);
        Assert.False(vector.Values is double[]);
        Assert.True(vector.Keys is ICollection<string> { IsReadOnly: true });
        Assert.True(vector.Values is ICollection<double> { IsReadOnly: true });
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)vector.Keys).Clear());
        Assert.Equal(["b", "a", "c"], Layout.Names);
    }

    [Fact]
    public void VectorsOverOneLayout_AreIndependent()
    {
        var first = Vector(1, 2, 3);
        var second = Vector(4, 5, 6);

        Assert.Equal(2, first["a"]);
        Assert.Equal(5, second["a"]);
        Assert.Same(first.Keys, second.Keys);
    }

    [Fact]
    public void EmptyLayout_IsAnEmptyDictionary()
    {
        IReadOnlyDictionary<string, double> vector = new FeatureVector(FeatureLayout.Empty, []);

        Assert.Empty(vector);
        Assert.Empty(vector.Keys);
        Assert.Empty(vector.Values);
        Assert.False(vector.ContainsKey("a"));
        Assert.Throws<KeyNotFoundException>(() => vector["a"]);
    }
}

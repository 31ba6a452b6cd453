using System.Collections;
using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Platform.OnlineStore;

/// <summary>
/// Feature names in stored order, shared by every entity stored with the same names in the same order (all
/// entities of a schema, as the writer always writes a schema's features in one order).
/// </summary>
internal sealed class FeatureLayout
{
    private readonly byte[][] _utf8Names;

    public FeatureLayout(string[] names)
    {
        Names = names;
        ReadOnlyNames = Array.AsReadOnly(names);
        _utf8Names = names.Select(Encoding.UTF8.GetBytes).ToArray();
        Index = names.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static FeatureLayout Empty { get; } = new([]);

    public string[] Names { get; }

    /// <summary>What entities hand out as their keys: the shared array itself must not be castable and writable.</summary>
    public ReadOnlyCollection<string> ReadOnlyNames { get; }

    public FrozenDictionary<string, int> Index { get; }

    public bool NameAtIs(int position, ReadOnlySpan<byte> utf8Name) =>
        position < _utf8Names.Length && utf8Name.SequenceEqual(_utf8Names[position]);
}

/// <summary>
/// One entity's values over a shared <see cref="FeatureLayout"/>: an array, not a dictionary per entity. Immutable:
/// nothing it hands out lets a caller write to the layout or the values.
/// </summary>
internal sealed class FeatureVector(FeatureLayout layout, double[] values) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => layout.Index.TryGetValue(key, out var i)
        ? values[i]
        : throw new KeyNotFoundException($"The feature '{key}' is not among the entity's {values.Length} features.");

    public IEnumerable<string> Keys => layout.ReadOnlyNames;

    public IEnumerable<double> Values => Array.AsReadOnly(values);

    public int Count => values.Length;

    public bool ContainsKey(string key) => layout.Index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        if (layout.Index.TryGetValue(key, out var i))
        {
            value = values[i];
            return true;
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return KeyValuePair.Create(layout.Names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Collections;
using System.Collections.Frozen;
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
        _utf8Names = names.Select(Encoding.UTF8.GetBytes).ToArray();
        Index = names.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static FeatureLayout Empty { get; } = new([]);

    public string[] Names { get; }

    public FrozenDictionary<string, int> Index { get; }

    public bool NameAtIs(int position, ReadOnlySpan<byte> utf8Name) =>
        position < _utf8Names.Length && utf8Name.SequenceEqual(_utf8Names[position]);
}

/// <summary>One entity's values over a shared <see cref="FeatureLayout"/>: an array, not a dictionary per entity.</summary>
internal sealed class FeatureVector(FeatureLayout layout, double[] values) : IReadOnlyDictionary<string, double>
{
    public double this[string key] => values[layout.Index[key]];

    public IEnumerable<string> Keys => layout.Names;

    public IEnumerable<double> Values => values;

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

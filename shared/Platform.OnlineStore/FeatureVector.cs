using System.Buffers.Binary;
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
/// One entity's values over a shared <see cref="FeatureLayout"/>: an array, not a dictionary per entity; or, for a v2
/// packed row, the row's own bytes (little-endian float64s), so that a read does not copy them again. Immutable:
/// nothing it hands out lets a caller write to the layout or the values.
/// </summary>
internal sealed class FeatureVector : IReadOnlyDictionary<string, double>
{
    private readonly FeatureLayout _layout;
    private readonly double[]? _values;
    private readonly ReadOnlyMemory<byte> _packed;

    public FeatureVector(FeatureLayout layout, double[] values)
    {
        _layout = layout;
        _values = values;
    }

    /// <summary>Values read in place from <paramref name="packed"/>: 8 bytes each, one per name of the layout.</summary>
    public FeatureVector(FeatureLayout layout, ReadOnlyMemory<byte> packed)
    {
        if (packed.Length != 8 * layout.Names.Length)
        {
            throw new ArgumentException($"{packed.Length} bytes are not {layout.Names.Length} values.", nameof(packed));
        }

        _layout = layout;
        _packed = packed;
    }

    public double this[string key] => _layout.Index.TryGetValue(key, out var i)
        ? At(i)
        : throw new KeyNotFoundException($"The feature '{key}' is not among the entity's {Count} features.");

    public IEnumerable<string> Keys => _layout.ReadOnlyNames;

    public IEnumerable<double> Values => _values is not null ? Array.AsReadOnly(_values) : PackedValues();

    public int Count => _values?.Length ?? _layout.Names.Length;

    public bool ContainsKey(string key) => _layout.Index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        if (_layout.Index.TryGetValue(key, out var i))
        {
            value = At(i);
            return true;
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return KeyValuePair.Create(_layout.Names[i], At(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private double At(int i) => _values is not null ? _values[i] : BinaryPrimitives.ReadDoubleLittleEndian(_packed.Span[(8 * i)..]);

    private IEnumerable<double> PackedValues()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return At(i);
        }
    }
}

using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Platform.Deploy.Tests;

/// <summary>
/// YAML as plain maps and lists (string keys), so tests read compose files and manifests by path without a schema.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static Dictionary<string, object?> Map(string text) => AsMap(Normalize(Deserializer.Deserialize<object?>(text)))
        ?? throw new InvalidDataException("The YAML is not a mapping.");

    /// <summary>Every non-empty document of a multi-document stream (kubectl kustomize's output).</summary>
    public static List<Dictionary<string, object?>> Documents(string text)
    {
        var documents = new List<Dictionary<string, object?>>();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (AsMap(Normalize(Deserializer.Deserialize<object?>(parser))) is { } map)
            {
                documents.Add(map);
            }
        }

        return documents;
    }

    public static Dictionary<string, object?>? AsMap(object? value) => value as Dictionary<string, object?>;

    public static List<object?> AsList(object? value) => value as List<object?> ?? [];

    /// <summary>The value at a dotted path of map keys ("spec.template.spec"), or null where any step is missing.</summary>
    public static object? At(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (AsMap(node) is not { } map || !map.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(object? node, string path) => At(node, path)?.ToString();

    private static object? Normalize(object? value) => value switch
    {
        IDictionary<object, object> map => map.ToDictionary(kv => kv.Key.ToString()!, kv => Normalize(kv.Value)),
        IList<object> list => list.Select(Normalize).ToList(),
        _ => value,
    };
}

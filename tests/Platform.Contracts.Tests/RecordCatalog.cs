using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Platform.Contracts.Tests;

/// <summary>Which topic schema (and where in it) describes each record type of Platform.Contracts.</summary>
internal static class RecordCatalog
{
    public sealed record Entry(Type Type, string Topic, string? Def);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new(typeof(OrderEvent), Topics.OrdersRaw, null),
        new(typeof(OrderLine), Topics.OrdersRaw, "order_line"),
        new(typeof(OrderRejected), Topics.OrdersRejected, null),
        new(typeof(OrderLineValidated), Topics.OrdersValidated, null),
        new(typeof(FeaturesUpdated), Topics.FeaturesUpdated, null),
        new(typeof(DemandForecast), Topics.ForecastsDemand, null),
        new(typeof(ForecastStep), Topics.ForecastsDemand, "forecast_step"),
        new(typeof(AnomalyAlert), Topics.AlertsAnomalies, null),
        new(typeof(AnomalyContributor), Topics.AlertsAnomalies, "anomaly_contributor"),
        new(typeof(InventoryLevel), Topics.InventoryLevels, null),
    ];

    public static TheoryData<string> TypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Entries)
        {
            data.Add(entry.Type.Name);
        }

        return data;
    }

    public static Entry Get(string typeName) => Entries.Single(e => e.Type.Name == typeName);

    /// <summary>Every public record type in Platform.Contracts (records have a compiler-generated &lt;Clone&gt;$ method).</summary>
    public static IEnumerable<Type> AllRecordTypes() =>
        typeof(OrderEvent).Assembly.GetExportedTypes().Where(t => t.IsClass && t.GetMethod("<Clone>$") is not null);

    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public static string JsonName(PropertyInfo property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    public static bool IsNullable(PropertyInfo property) =>
        new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable;

    public static JsonTypeInfo TypeInfo(Type type) => ContractsJsonContext.Default.GetTypeInfo(type)
        ?? throw new InvalidOperationException($"ContractsJsonContext has no metadata for {type.Name}");

    /// <summary>The schema object that describes the entry's properties: the root, or one of its $defs.</summary>
    public static JsonObject SchemaFor(Entry entry)
    {
        var root = ContractDocs.LoadSchema(entry.Topic);
        return entry.Def is null ? root : root["$defs"]![entry.Def]!.AsObject();
    }

    /// <summary>Every property path of a JSON value: "lines[].sku" and so on.</summary>
    public static SortedSet<string> PropertyPaths(JsonNode? node, string prefix = "")
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Collect(node, prefix, paths);
        return paths;
    }

    private static void Collect(JsonNode? node, string prefix, SortedSet<string> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                    paths.Add(path);
                    Collect(value, path, paths);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, prefix + "[]", paths);
                }

                break;
        }
    }
}

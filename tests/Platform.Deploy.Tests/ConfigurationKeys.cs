using System.Reflection;
using Platform.Alerting;
using Platform.FeatureStore;
using Platform.Features;
using Platform.Inference;
using Platform.Ingestion;
using Platform.Ingestion.Validation;
using Platform.Kafka;

namespace Platform.Deploy.Tests;

/// <summary>
/// Which environment variables a service understands: "Section__Key" names bound to its options types (found by
/// reflection over the types the service binds, as the configuration binder matches them: case-insensitive, nested
/// objects by "__", dictionaries take any key), plus the few the OpenTelemetry SDK and ASP.NET Core read.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Variables read by libraries, not by the platform's options.</summary>
    private static readonly HashSet<string> LibraryVariables = new(StringComparer.Ordinal)
    {
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "ASPNETCORE_HTTP_PORTS",
    };

    private static readonly Dictionary<string, Type> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        [KafkaOptions.SectionName] = typeof(KafkaOptions),
    };

    /// <summary>Sections per service (the compose service or Deployment name), as each service's Add* method binds them.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Type>> ByService = new Dictionary<string, IReadOnlyDictionary<string, Type>>
    {
        ["ingestion"] = With((IngestionOptions.SectionName, typeof(IngestionOptions)), (IngestionLimits.SectionName, typeof(IngestionLimits))),
        ["feature-store"] = With((FeatureStoreOptions.SectionName, typeof(FeatureStoreOptions)), ($"{FeatureStoreOptions.SectionName}:Features", typeof(FeatureOptions))),
        ["inference"] = With((InferenceOptions.SectionName, typeof(InferenceOptions)), ($"{FeatureStoreOptions.SectionName}:Features", typeof(FeatureOptions))),
        ["alerting"] = With((AlertingOptions.SectionName, typeof(AlertingOptions))),
    };

    /// <summary>Null when <paramref name="variable"/> is a setting <paramref name="service"/> reads; else why not.</summary>
    public static string? Problem(string service, string variable)
    {
        if (LibraryVariables.Contains(variable))
        {
            return null;
        }

        if (!ByService.TryGetValue(service, out var sections))
        {
            return $"{service} is not a known service";
        }

        var parts = variable.Split("__");
        // The longest section prefix wins ("Ingestion__Limits__MaxLines" is IngestionLimits, not IngestionOptions.Limits).
        for (var length = parts.Length - 1; length >= 1; length--)
        {
            var section = string.Join(':', parts[..length]);
            if (sections.TryGetValue(section, out var type))
            {
                return Walk(type, parts[length..], variable);
            }
        }

        return $"{variable}: no options section of {service} matches (known: {string.Join(", ", sections.Keys.Select(k => k.Replace(":", "__", StringComparison.Ordinal)))})";
    }

    private static string? Walk(Type type, string[] path, string variable)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is null && !IsDictionary(property.PropertyType))
        {
            return $"{variable}: {type.Name} has no settable property '{path[0]}'";
        }

        var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (IsDictionary(target))
        {
            return path.Length >= 2 ? null : $"{variable}: {type.Name}.{property.Name} is a map; name a key after it";
        }

        if (IsLeaf(target))
        {
            return path.Length == 1 ? null : $"{variable}: {type.Name}.{property.Name} is a value, not a section";
        }

        return path.Length == 1 ? $"{variable}: {type.Name}.{property.Name} is a section; name one of its keys" : Walk(target, path[1..], variable);
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset);

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>));

    private static IReadOnlyDictionary<string, Type> With(params (string Section, Type Type)[] sections)
    {
        var all = new Dictionary<string, Type>(Shared, StringComparer.OrdinalIgnoreCase);
        foreach (var (section, type) in sections)
        {
            all[section] = type;
        }

        return all;
    }
}

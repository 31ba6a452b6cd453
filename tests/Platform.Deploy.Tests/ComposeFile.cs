namespace Platform.Deploy.Tests;

/// <summary>docker-compose.yml at the repository root, parsed (anchors and merge keys resolved).</summary>
internal static class ComposeFile
{
    /// <summary>The platform's own .NET services (each has its own host and options).</summary>
    public static readonly string[] PlatformServices = ["ingestion", "feature-store", "inference", "inference-gpu", "alerting"];

    public static Dictionary<string, object?> Root { get; } = Load();

    public static Dictionary<string, object?> Services => Yaml.AsMap(Root["services"])!;

    public static Dictionary<string, object?> Service(string name) =>
        Yaml.AsMap(Services.GetValueOrDefault(name)) ?? throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service {name}");

    /// <summary>The options key set of a compose service ("inference-gpu" runs the inference service).</summary>
    public static string ServiceKind(string name) => name == "inference-gpu" ? "inference" : name;

    private static Dictionary<string, object?> Load()
    {
        var text = File.ReadAllText(RepositoryRoot.File("docker-compose.yml"));
        // YamlDotNet resolves "<<: *anchor" only with merge support: parse through a merging parser.
        var parser = new YamlDotNet.Core.MergingParser(new YamlDotNet.Core.Parser(new StringReader(text)));
        var root = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object?>(parser);
        return Yaml.Map(new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(root!));
    }
}

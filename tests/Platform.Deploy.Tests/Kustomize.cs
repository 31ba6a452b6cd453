using System.Collections.Concurrent;
using System.Diagnostics;

namespace Platform.Deploy.Tests;

/// <summary>Renders an overlay with `kubectl kustomize` (offline), once per test run.</summary>
internal static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<List<Dictionary<string, object?>>>> Rendered = new();

    public static IReadOnlyList<Dictionary<string, object?>> Render(string overlay) =>
        Rendered.GetOrAdd(overlay, o => new Lazy<List<Dictionary<string, object?>>>(() => Yaml.Documents(Run(o)))).Value;

    public static IEnumerable<Dictionary<string, object?>> OfKind(string overlay, string kind) =>
        Render(overlay).Where(d => Yaml.Text(d, "kind") == kind);

    public static Dictionary<string, object?> Named(string overlay, string kind, string name) =>
        OfKind(overlay, kind).SingleOrDefault(d => Yaml.Text(d, "metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"{overlay}: no {kind} named {name}");

    private static string Run(string overlay)
    {
        var result = Tool.Run("kubectl", ["kustomize", Path.Combine("k8s", "overlays", overlay)], "kubectl (https://kubernetes.io/docs/tasks/tools/) renders the manifests");
        Assert.True(result.ExitCode == 0, $"kubectl kustomize k8s/overlays/{overlay} failed: {result.Error}");
        return result.Output;
    }
}

namespace Platform.Inference.Tests;

/// <summary>A registry folder of a test's own, deleted afterwards.</summary>
internal sealed class TestRegistry : IDisposable
{
    public TestRegistry()
    {
        Root = Directory.CreateTempSubdirectory("platform-inference-registry-").FullName;
        Registry = new Forecasting.Registry.ModelRegistry(Root);
    }

    public string Root { get; }

    public Forecasting.Registry.ModelRegistry Registry { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

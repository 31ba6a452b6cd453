using Microsoft.Extensions.Options;

namespace Platform.Inference.Tests;

/// <summary>Options whose current value a test changes, as a configuration reload would.</summary>
internal sealed class MutableOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

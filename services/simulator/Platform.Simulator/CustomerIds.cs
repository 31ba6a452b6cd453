namespace Platform.Simulator;

internal static class CustomerIds
{
    /// <summary>"C000123" for customer index 122.</summary>
    public static string Format(int index) => $"C{index + 1:D6}";
}

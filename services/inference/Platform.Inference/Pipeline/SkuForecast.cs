using Platform.OnlineStore;

namespace Platform.Inference.Pipeline;

/// <summary>A SKU's fresh forecast: the window and features it was made from, and P10/P50/P90 in units from <see cref="Origin"/> on.</summary>
internal sealed record SkuForecast(
    string Sku,
    DemandWindow Window,
    OnlineFeatures? Features,
    string ModelVersion,
    double[] P10,
    double[] P50,
    double[] P90)
{
    /// <summary>Start of the first forecast period: the hour after the window.</summary>
    public DateTimeOffset Origin => Window.End;

    public int Horizon => P50.Length;
}

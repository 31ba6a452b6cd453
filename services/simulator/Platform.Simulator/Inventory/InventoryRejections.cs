namespace Platform.Simulator.Inventory;

/// <summary>Machine-readable reasons the inventory book refuses an input (counted per reason in <see cref="InventoryReport.Rejected"/>).</summary>
public static class InventoryRejections
{
    /// <summary>The record is not JSON of the topic's contract.</summary>
    public const string Unreadable = "unreadable";

    public const string MissingSku = "missing_sku";

    /// <summary>An order line with quantity 0.</summary>
    public const string BadQuantity = "bad_quantity";

    /// <summary>A forecast with no steps (or absurdly many).</summary>
    public const string EmptyForecast = "empty_forecast";

    /// <summary>A forecast step unit other than "hour" or "day".</summary>
    public const string UnsupportedStepUnit = "unsupported_step_unit";

    /// <summary>A negative, NaN or infinite quantile.</summary>
    public const string BadQuantile = "bad_quantile";

    /// <summary>P90 below P50.</summary>
    public const string QuantilesOutOfOrder = "quantiles_out_of_order";

    /// <summary>No event time on the message.</summary>
    public const string MissingTime = "missing_time";

    /// <summary>An event time further ahead of the book's clock than <see cref="InventoryOptions.MaxClockJump"/>.</summary>
    public const string TimeOutOfRange = "time_out_of_range";
}

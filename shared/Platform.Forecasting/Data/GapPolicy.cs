namespace Platform.Forecasting.Data;

/// <summary>What a missing period inside a series becomes.</summary>
public enum GapPolicy
{
    /// <summary>0: right for demand, where a period without rows is a period without sales.</summary>
    Zero,

    /// <summary>The previous period's value: right for levels (prices, stock, temperatures).</summary>
    Previous,
}

namespace Platform.Forecasting.Data;

/// <summary>What to do with several rows for one period of one series.</summary>
public enum DuplicatePolicy
{
    /// <summary>Add them up: right for demand, where rows are transactions or partial counts of one period.</summary>
    Sum,

    /// <summary>Keep the row that comes last in the file: right for a corrected value appended after the original.</summary>
    Last,
}

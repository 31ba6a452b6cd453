namespace Platform.Forecasting.Data;

/// <summary>The machine-readable codes of <see cref="SeriesIssue"/>; docs/models.md lists what is done for each.</summary>
public static class SeriesIssueCodes
{
    /// <summary>A row with fewer fields than the header names; skipped.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A row with an empty series_id; skipped.</summary>
    public const string MissingSeriesId = "missing_series_id";

    /// <summary>A timestamp that is neither ISO 8601 nor yyyy-MM-dd[ HH:mm[:ss]]; row skipped.</summary>
    public const string BadTimestamp = "bad_timestamp";

    /// <summary>An empty value; row skipped (its period becomes a gap).</summary>
    public const string MissingValue = "missing_value";

    /// <summary>A value that is not a number; row skipped (its period becomes a gap).</summary>
    public const string NonNumericValue = "non_numeric_value";

    /// <summary>NaN or ±infinity; row skipped (its period becomes a gap).</summary>
    public const string NonFiniteValue = "non_finite_value";

    /// <summary>A series whose rows were not in time order; they were sorted.</summary>
    public const string UnsortedRows = "unsorted_rows";

    /// <summary>Several rows for one period of a series; combined by the duplicate policy (sum or last).</summary>
    public const string DuplicateTimestamps = "duplicate_timestamps";

    /// <summary>Timestamps between two periods of the inferred step; each was added to the period it falls in.</summary>
    public const string OffGridTimestamps = "off_grid_timestamps";

    /// <summary>Missing periods inside a series; filled by the gap policy (zero or previous value).</summary>
    public const string GapsFilled = "gaps_filled";

    /// <summary>A series with one distinct timestamp: its step was taken from the other series.</summary>
    public const string StepBorrowed = "step_borrowed";

    /// <summary>A series none of whose rows has a usable value; left out.</summary>
    public const string NoValues = "no_values";

    /// <summary>A series that would span more periods than the reader allows at its step; left out.</summary>
    public const string SeriesTooLong = "series_too_long";

    /// <summary>A series with too few points to hold out the horizon and keep one point to fit on; left out of the backtest.</summary>
    public const string TooShort = "too_short";
}

namespace Platform.Forecasting.Data;

/// <summary>The regular series read from a file, in order of first appearance, and what was repaired or left out on the way.</summary>
public sealed record SeriesReadResult(IReadOnlyList<TimeSeries> Series, SeriesIssueLog Issues, long RowsRead, long RowsUsed);

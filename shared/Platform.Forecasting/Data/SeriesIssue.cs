namespace Platform.Forecasting.Data;

/// <summary>
/// Something in the input that was skipped, repaired or left out, in a form a script can act on.
/// </summary>
/// <param name="Code">One of <see cref="SeriesIssueCodes"/>.</param>
/// <param name="SeriesId">The series it concerns; null when the row had no usable id.</param>
/// <param name="Row">1-based line number in the file (the header is line 1); null for issues about a whole series.</param>
/// <param name="Message">What happened and what was done about it.</param>
public sealed record SeriesIssue(string Code, string? SeriesId, long? Row, string Message);

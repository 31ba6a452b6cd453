namespace Platform.Simulator.Import;

/// <summary>A CSV row that could not become an order line at all (for example an unparseable number); it is skipped.</summary>
public sealed record CsvImportIssue(string Source, long LineNumber, string Problem);

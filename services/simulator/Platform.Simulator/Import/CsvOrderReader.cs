using Platform.Contracts;

namespace Platform.Simulator.Import;

/// <summary>What every historical CSV reader shares: reading files in order, and the rows it had to skip.</summary>
public abstract class CsvOrderReader
{
    private readonly List<CsvImportIssue> _issues = [];

    /// <summary>Rows that were skipped, with their reason.</summary>
    public IReadOnlyList<CsvImportIssue> Issues => _issues;

    /// <summary>Reads files in the order given (sort by-day files by name to read them in time order).</summary>
    public IEnumerable<OrderEvent> ReadFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path);
            foreach (var order in Read(reader, path))
            {
                yield return order;
            }
        }
    }

    public abstract IEnumerable<OrderEvent> Read(TextReader reader, string source = "");

    protected void Report(string source, long lineNumber, string problem) => _issues.Add(new CsvImportIssue(source, lineNumber, problem));
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Contracts.Tests;

/// <summary>
/// Reads docs/contracts.md and docs/schemas/*.json from the test output folder (copied there by the project file),
/// so the tests do not depend on the working directory.
/// </summary>
internal static partial class ContractDocs
{
    public static readonly string DocsFolder = Path.Combine(AppContext.BaseDirectory, "docs");

    private static readonly Lazy<string[]> s_lines = new(() => File.ReadAllLines(Path.Combine(DocsFolder, "contracts.md")));

    public static string[] Lines => s_lines.Value;

    public static string Text => string.Join('\n', Lines);

    public static JsonObject LoadSchema(string topic)
    {
        var path = Path.Combine(DocsFolder, "schemas", $"{topic}.v1.schema.json");
        Assert.True(File.Exists(path), $"missing schema {path}");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>The rows of the table after the marker comment, as cells; only rows whose first cell is a `code` name.</summary>
    public static IReadOnlyList<string[]> TableAfter(string marker)
    {
        var start = Array.FindIndex(Lines, l => l.Trim() == marker);
        Assert.True(start >= 0, $"docs/contracts.md has no {marker}");
        var rows = new List<string[]>();
        var inTable = false;
        for (var i = start + 1; i < Lines.Length; i++)
        {
            var line = Lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                if (inTable || line.Length > 0)
                {
                    break;
                }

                continue;
            }

            inTable = true;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var name = CodeCell().Match(cells[0]);
            if (name.Success)
            {
                cells[0] = name.Groups[1].Value;
                rows.Add(cells);
            }
        }

        Assert.True(rows.Count > 0, $"the table after {marker} is empty");
        return rows;
    }

    public static IReadOnlyList<string> NamesInTable(string marker) => TableAfter(marker).Select(r => r[0]).ToList();

    /// <summary>Every ```json block with the label of the <c>&lt;!-- example: X --&gt;</c> comment before it (null when unlabelled).</summary>
    public static IReadOnlyList<(string? Label, string Json, int Line)> JsonExamples()
    {
        var examples = new List<(string?, string, int)>();
        for (var i = 0; i < Lines.Length; i++)
        {
            if (Lines[i].Trim() != "```json")
            {
                continue;
            }

            var previous = i - 1;
            while (previous >= 0 && Lines[previous].Trim().Length == 0)
            {
                previous--;
            }

            var label = previous >= 0 ? ExampleLabel().Match(Lines[previous].Trim()) : Match.Empty;
            var end = Array.FindIndex(Lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"unterminated json block at line {i + 1}");
            examples.Add((label.Success ? label.Groups[1].Value : null, string.Join('\n', Lines[(i + 1)..end]), i + 1));
            i = end;
        }

        return examples;
    }

    [GeneratedRegex(@"^`([^`]+)`$")]
    private static partial Regex CodeCell();

    [GeneratedRegex(@"^<!--\s*example:\s*([A-Za-z\-\[\]]+)\s*-->$")]
    private static partial Regex ExampleLabel();
}

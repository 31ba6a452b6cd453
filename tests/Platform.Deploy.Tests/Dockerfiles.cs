using System.Text.RegularExpressions;

namespace Platform.Deploy.Tests;

/// <summary>The instructions of a Dockerfile that the tests check (stages, user, entry point).</summary>
internal sealed partial record Dockerfiles(string Path, IReadOnlyList<string> FromImages, string? LastUser, string? Entrypoint)
{
    /// <summary>A numeric user other than 0: Kubernetes can only verify runAsNonRoot against a numeric UID.</summary>
    public bool RunsAsNonRoot => LastUser is { } user && int.TryParse(user.Split(':')[0], out var uid) && uid > 0;

    public string RuntimeImage => FromImages[^1];

    public static Dockerfiles Parse(string relativePath)
    {
        var full = RepositoryRoot.File(relativePath);
        Assert.True(File.Exists(full), $"{relativePath} does not exist");
        var lines = File.ReadAllLines(full).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var froms = new List<string>();
        string? user = null;
        foreach (var line in lines)
        {
            if (From().Match(line) is { Success: true } from)
            {
                // A stage built FROM an earlier stage resolves to that stage's image.
                var image = stages.GetValueOrDefault(from.Groups["image"].Value, from.Groups["image"].Value);
                froms.Add(image);
                user = null;
                if (from.Groups["name"].Success)
                {
                    stages[from.Groups["name"].Value] = image;
                }
            }
            else if (line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase))
            {
                user = line[5..].Trim();
            }
        }

        var entrypoint = lines.LastOrDefault(l => l.StartsWith("ENTRYPOINT", StringComparison.OrdinalIgnoreCase));
        return new Dockerfiles(relativePath, froms, user, entrypoint);
    }

    [GeneratedRegex(@"^FROM\s+(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<name>\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex From();
}

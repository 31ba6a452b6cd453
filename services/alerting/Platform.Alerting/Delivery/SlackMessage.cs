using System.Text;
using System.Text.Json.Serialization;

namespace Platform.Alerting.Delivery;

/// <summary>A Slack incoming-webhook message: plain text (also the notification fallback) and one mrkdwn section.</summary>
public sealed class SlackMessage
{
    // Slack cuts a section's text at 3000 characters; a long group is shortened with a count of what was left out.
    private const int MaxSectionLength = 3000;

    [JsonPropertyName("text")]
    public required string Text { get; init; }

    [JsonPropertyName("channel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channel { get; init; }

    [JsonPropertyName("blocks")]
    public required List<SlackBlock> Blocks { get; init; }

    public static SlackMessage From(AlertNotification notification, string? channel)
    {
        var firing = notification.Alerts.Count(a => a.Status == "firing");
        var title = notification.Status == "firing"
            ? $"[FIRING:{firing}] {Describe(notification.GroupLabels)}"
            : $"[RESOLVED] {Describe(notification.GroupLabels)}";
        var body = new StringBuilder();
        var shown = 0;
        foreach (var alert in notification.Alerts)
        {
            var line = $"• *{Label(alert, "severity")}* {Label(alert, "kind")} SKU `{Label(alert, "sku")}` {Label(alert, "region")}"
                + $" ({alert.Status}, ×{alert.Count}): {(alert.Annotations.TryGetValue("summary", out var s) ? s : "")}\n";
            if (body.Length + line.Length > MaxSectionLength - 40)
            {
                break;
            }

            body.Append(line);
            shown++;
        }

        if (shown < notification.Alerts.Count)
        {
            body.Append($"…and {notification.Alerts.Count - shown} more");
        }

        return new SlackMessage
        {
            Text = title,
            Channel = channel,
            Blocks = [new SlackBlock { Type = "section", Text = new SlackText { Type = "mrkdwn", Text = $"*{title}*\n{body}".TrimEnd() } }],
        };
    }

    private static string Describe(Dictionary<string, string> labels) =>
        labels.Count == 0 ? "alerts" : string.Join(" ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static string Label(NotifiedAlert alert, string name) => alert.Labels.TryGetValue(name, out var v) ? v : "";
}

public sealed class SlackBlock
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("text")]
    public required SlackText Text { get; init; }
}

public sealed class SlackText
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("text")]
    public required string Text { get; init; }
}

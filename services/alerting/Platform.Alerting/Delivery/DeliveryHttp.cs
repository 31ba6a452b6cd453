using System.Net;
using System.Net.Http.Headers;

namespace Platform.Alerting.Delivery;

/// <summary>POSTs a JSON body and sorts the outcome: success, a failure worth retrying, or a permanent refusal.</summary>
public static class DeliveryHttp
{
    public const string ClientName = "alerting-delivery";

    /// <summary>Header with the notification id on every POST, so receivers can drop a retried copy.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <exception cref="PermanentDeliveryException">4xx other than 408 (timeout) and 429 (rate limited).</exception>
    /// <exception cref="HttpRequestException">Network failure, 408, 429 or 5xx: retried by the consumer's retry policy.</exception>
    public static async Task PostJsonAsync(HttpClient client, string url, byte[] body, string idempotencyKey, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var detail = await ReadSnippetAsync(response, ct);
        if (status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new PermanentDeliveryException($"{Redact(url)} refused the notification with {status}: {detail}");
        }

        throw new HttpRequestException($"{Redact(url)} answered {status}: {detail}", null, response.StatusCode);
    }

    /// <summary>Scheme, host and path only: query strings (and Slack's path-embedded tokens beyond the host) stay out of logs.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}{(uri.AbsolutePath.Length > 1 ? "/…" : "/")}" : "(invalid url)";

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length <= 300 ? text : text[..300] + "…";
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }
    }
}

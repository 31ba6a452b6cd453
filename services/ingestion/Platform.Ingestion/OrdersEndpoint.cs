using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Platform.Contracts;
using Platform.Ingestion.Validation;
using Platform.Kafka;

namespace Platform.Ingestion;

/// <summary>
/// POST /orders for order systems that cannot produce to Kafka: one order object or an array of them.
/// Each order is validated at once (the caller learns every rejection in the response); accepted orders go to
/// orders.raw keyed by order id and take the same path as Kafka input (dedup, normalization), rejected ones go
/// to orders.rejected as well, so nothing is dropped silently.
/// </summary>
public static class OrdersEndpoint
{
    public sealed record OrderResult(int Index, string? OrderId, string Status, string? Reason = null, string? Detail = null, string? Field = null);

    public sealed record OrdersResponse(int Accepted, int Rejected, IReadOnlyList<OrderResult> Results);

    public static async Task<IResult> PostAsync(
        HttpRequest request, [FromServices] OrderValidator validator, [FromServices] PlatformProducer producer, [FromServices] IngestionMetrics metrics,
        [FromServices] IOptions<IngestionOptions> options, [FromServices] IOptions<IngestionLimits> limits,
        [FromServices] TimeProvider time, CancellationToken ct)
    {
        var maxBody = (long)limits.Value.MaxPayloadBytes * options.Value.MaxOrdersPerRequest;
        if (request.ContentLength > maxBody)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, RejectionReasons.PayloadTooLarge, $"request body over {maxBody} bytes");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > maxBody)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, RejectionReasons.PayloadTooLarge, $"request body over {maxBody} bytes");
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        List<ReadOnlyMemory<byte>> orders;
        try
        {
            orders = SplitOrders(body);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, RejectionReasons.MalformedJson, ex.Message);
        }

        if (orders.Count > options.Value.MaxOrdersPerRequest)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, RejectionReasons.TooManyLines,
                $"{orders.Count} orders in one request; at most {options.Value.MaxOrdersPerRequest}");
        }

        var now = time.GetUtcNow();
        var results = new OrderResult[orders.Count];
        var deliveries = new List<Task>(orders.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            var payload = orders[i];
            if (validator.TryParse(payload.Span, out var order, out var rejection))
            {
                results[i] = new OrderResult(i, order.OrderId, "accepted");
                deliveries.Add(producer.ProduceAsync(Topics.OrdersRaw,
                    new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(order.OrderId), Value = payload.ToArray() }, ct));
            }
            else
            {
                results[i] = new OrderResult(i, rejection.OrderId, "rejected", rejection.Reason, rejection.Detail, rejection.Field);
                var rejected = RejectionFactory.Create(rejection, "http", payload.Span, now);
                var headers = OutputBatch.DeadLetterHeadersFor(rejection.Reason, null, null, null, null);
                deliveries.Add(producer.ProduceAsync(Topics.OrdersRejected,
                    new Message<byte[]?, byte[]?> { Key = rejection.OrderId is null ? null : Encoding.UTF8.GetBytes(rejection.OrderId), Value = RejectionFactory.Serialize(rejected), Headers = headers }, ct));
                metrics.OrderRejected(rejection.Reason, "http");
            }
        }

        // Answer only once Kafka holds every order: a 202 means the order will be processed.
        await Task.WhenAll(deliveries);
        var accepted = results.Count(r => r.Status == "accepted");
        var response = new OrdersResponse(accepted, results.Length - accepted, results);
        return accepted == 0 && results.Length > 0
            ? Results.Json(response, IngestionJsonContext.Default.OrdersResponse, statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(response, IngestionJsonContext.Default.OrdersResponse, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The raw bytes of each order: the body itself when it is an object, each element when it is an array.</summary>
    internal static List<ReadOnlyMemory<byte>> SplitOrders(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span);
        if (!reader.Read())
        {
            throw new JsonException("empty body");
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return [body];
        }

        var orders = new List<ReadOnlyMemory<byte>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            orders.Add(body[start..(int)reader.BytesConsumed]);
        }

        return orders;
    }

    private static IResult Problem(int status, string reason, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: reason, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}

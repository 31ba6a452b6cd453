using System.Text.Json;
using Platform.Contracts;
using static Platform.Ingestion.Validation.Tests.Payloads;

namespace Platform.Ingestion.Validation.Tests;

/// <summary>Random mutations of valid payloads: the validator must answer, never throw.</summary>
public sealed class FuzzTests
{
    private static readonly byte[] Interesting = "{}[]\",:\\0123456789-+.eEtrufalsn \u0001\u007F"u8.ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fuzz_MutatedPayloadsAreAcceptedOrRejectedWithKnownReason(int seed)
    {
        var random = new Random(seed);
        var validator = Validator();
        var normalizer = Normalizer();
        var seeds = new[] { Placed, Cancelled, Guest, WithUnknownProperties }.Select(Utf8).ToArray();
        var known = RejectionReasons.All.Where(r => r != RejectionReasons.ProcessingError).ToHashSet();
        var accepted = 0;

        for (var i = 0; i < 20_000; i++)
        {
            var payload = Mutate(random, seeds[random.Next(seeds.Length)]);

            if (validator.TryParse(payload, out var order, out var rejection))
            {
                accepted++;
                foreach (var line in normalizer.Normalize(order, Now))
                {
                    Assert.NotNull(JsonSerializer.Deserialize(line.Utf8Json, ContractsJsonContext.Default.OrderLineValidated));
                }
            }
            else
            {
                Assert.Contains(rejection.Reason, known);
                Assert.False(string.IsNullOrEmpty(rejection.Detail));
            }
        }

        // Some mutations land in whitespace or unknown text and keep the order valid: both paths were exercised.
        Assert.InRange(accepted, 1, 19_999);
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        var count = random.Next(1, 4);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Features;

namespace Platform.FeatureStore.Tests;

public sealed class FeaturesApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset EventTime = ApiHost.Start - TimeSpan.FromMinutes(3);

    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync();
        await _host.SeedAsync(
            ApiHost.Row("sku:1", EventTime, ("qty_24h", 12), ("avg_price_24h", 9.5), ("avg_price_7d", double.NaN)),
            ApiHost.Row("sku_region:1:eu", EventTime, ("qty_24h", 4)),
            ApiHost.Row("sku:2", EventTime, ("qty_24h", 0), ("avg_price_24h", double.NaN), ("price_change_24h_vs_7d", double.PositiveInfinity)),
            ApiHost.Row("category:toys", EventTime, ("qty_24h", 100)));
        _host.Time.Advance(TimeSpan.FromMilliseconds(1500));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    [Fact]
    public async Task Get_found_returns_the_entity_with_metadata_and_staleness()
    {
        using var response = await Client.GetAsync("/features/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal("sku:1", root.GetProperty("entity_key").GetString());
        Assert.Equal(EventTime, root.GetProperty("event_time").GetDateTimeOffset());
        Assert.Equal(ApiHost.Start, root.GetProperty("written_at").GetDateTimeOffset());
        Assert.Equal(FeatureSchema.Default.Hash, root.GetProperty("schema_hash").GetString());
        Assert.Equal(1500, root.GetProperty("staleness_ms").GetInt64());
        Assert.Equal(12, root.GetProperty("features").GetProperty("qty_24h").GetDouble());
        Assert.Equal(9.5, root.GetProperty("features").GetProperty("avg_price_24h").GetDouble());
        Assert.False(root.TryGetProperty("region", out _));
        Assert.Equal(1, _host.Counting.Calls);
    }

    [Fact]
    public async Task Get_absent_is_404_with_a_machine_readable_body()
    {
        using var response = await Client.GetAsync("/features/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("entity_not_found", json.RootElement.GetProperty("error").GetString());
        Assert.Equal("sku:nope", json.RootElement.GetProperty("entity_key").GetString());
        Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/features/a%01b", "invalid_sku")]
    [InlineData("/features/a%0Ab", "invalid_sku")]
    [InlineData("/features/%20%7F", "invalid_sku")]
    [InlineData("/features/1?region=", "invalid_region")]
    [InlineData("/features/1?region=e%00u", "invalid_region")]
    public async Task Get_invalid_sku_or_region_is_400(string url, string error)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Equal(0, _host.Counting.Calls);
    }

    [Fact]
    public async Task Get_sku_over_64_characters_is_400_and_64_is_accepted()
    {
        using var tooLong = await Client.GetAsync("/features/" + new string('x', 65));
        using var longest = await Client.GetAsync("/features/" + new string('x', 64));
        using var longRegion = await Client.GetAsync("/features/1?region=" + new string('r', 65));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longRegion.StatusCode);
    }

    [Fact]
    public async Task Get_with_region_returns_both_entities_in_one_store_call()
    {
        using var response = await Client.GetAsync("/features/1?region=eu");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal("sku:1", root.GetProperty("entity_key").GetString());
        var region = root.GetProperty("region");
        Assert.Equal("sku_region:1:eu", region.GetProperty("entity_key").GetString());
        Assert.True(region.GetProperty("found").GetBoolean());
        Assert.Equal(4, region.GetProperty("features").GetProperty("qty_24h").GetDouble());
        Assert.Equal(1500, region.GetProperty("staleness_ms").GetInt64());
        Assert.Equal(1, _host.Counting.Calls);
        Assert.Equal(["sku:1", "sku_region:1:eu"], _host.Counting.Requests[0]);
    }

    [Fact]
    public async Task Get_with_absent_region_still_returns_the_sku_and_says_region_not_found()
    {
        using var response = await Client.GetAsync("/features/1?region=us");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var region = json.RootElement.GetProperty("region");
        Assert.Equal("sku_region:1:us", region.GetProperty("entity_key").GetString());
        Assert.False(region.GetProperty("found").GetBoolean());
        Assert.False(region.TryGetProperty("features", out _));
    }

    [Fact]
    public async Task Non_finite_values_are_written_as_null()
    {
        using var get = await Client.GetAsync("/features/2");
        using var batch = await PostJsonAsync("""{"entity_keys":["sku:1","sku:2"]}""");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var json = await ReadJsonAsync(get);
        var features = json.RootElement.GetProperty("features");
        Assert.Equal(JsonValueKind.Null, features.GetProperty("avg_price_24h").ValueKind);
        Assert.Equal(JsonValueKind.Null, features.GetProperty("price_change_24h_vs_7d").ValueKind);
        Assert.Equal(0, features.GetProperty("qty_24h").GetDouble());

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        using var batchJson = await ReadJsonAsync(batch);
        var results = batchJson.RootElement.GetProperty("results");
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("features").GetProperty("avg_price_7d").ValueKind);
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("features").GetProperty("avg_price_24h").ValueKind);
    }

    [Fact]
    public async Task Batch_returns_results_in_request_order_with_found_flags_in_one_store_call()
    {
        using var response = await PostJsonAsync(
            """{"entity_keys":["category:toys","sku:missing","sku_region:1:eu","sku:1","sku_region:1:us","sku:1"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(
            ["category:toys", "sku:missing", "sku_region:1:eu", "sku:1", "sku_region:1:us", "sku:1"],
            results.Select(r => r.GetProperty("entity_key").GetString()));
        Assert.Equal([true, false, true, true, false, true], results.Select(r => r.GetProperty("found").GetBoolean()));
        Assert.Equal(100, results[0].GetProperty("features").GetProperty("qty_24h").GetDouble());
        Assert.Equal(4, results[2].GetProperty("features").GetProperty("qty_24h").GetDouble());
        Assert.Equal(FeatureSchema.Default.Hash, results[3].GetProperty("schema_hash").GetString());
        Assert.Equal(1500, results[3].GetProperty("staleness_ms").GetInt64());
        Assert.False(results[1].TryGetProperty("features", out _));
        Assert.False(results[1].TryGetProperty("schema_hash", out _));
        Assert.Equal(1, _host.Counting.Calls);
    }

    [Fact]
    public async Task Batch_of_skus_looks_up_sku_entities()
    {
        using var response = await PostJsonAsync("""{"skus":["2","nope","1"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["sku:2", "sku:nope", "sku:1"], results.Select(r => r.GetProperty("entity_key").GetString()));
        Assert.Equal([true, false, true], results.Select(r => r.GetProperty("found").GetBoolean()));
        Assert.Equal(1, _host.Counting.Calls);
    }

    [Fact]
    public async Task Batch_of_a_thousand_keys_makes_exactly_one_store_call()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? $"sku:{i}" : $"sku_region:{i}:eu").ToList();
        keys[0] = "sku:1";

        using var response = await Client.PostAsJsonAsync("/features/batch", new { entity_keys = keys });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal(1000, json.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(1, _host.Counting.Calls);
        Assert.Equal(keys, _host.Counting.Requests[0]);
    }

    [Theory]
    [InlineData("""{"entity_keys":[]}""", "empty_request")]
    [InlineData("""{"skus":[]}""", "empty_request")]
    [InlineData("""{}""", "empty_request")]
    [InlineData("""null""", "empty_request")]
    [InlineData("", "invalid_json")]
    [InlineData("""{"entity_keys":["sku:1",]}""", "invalid_json")]
    [InlineData("""{"entity_keys":"sku:1"}""", "invalid_json")]
    [InlineData("""[1, 2]""", "invalid_json")]
    [InlineData("""{"entity_keys":["sku:1"],"skus":["1"]}""", "ambiguous_request")]
    [InlineData("""{"entity_keys":["sku:1","product:1"]}""", "unknown_entity_type")]
    [InlineData("""{"entity_keys":["sku1"]}""", "unknown_entity_type")]
    [InlineData("""{"entity_keys":["sku:"]}""", "invalid_entity_key")]
    [InlineData("""{"entity_keys":[null]}""", "invalid_entity_key")]
    [InlineData("""{"entity_keys":["sku_region:1"]}""", "invalid_entity_key")]
    [InlineData("""{"entity_keys":["sku_region::eu"]}""", "invalid_entity_key")]
    [InlineData("""{"entity_keys":["sku_region:1:"]}""", "invalid_entity_key")]
    [InlineData("""{"entity_keys":["category:a\u0007"]}""", "invalid_entity_key")]
    [InlineData("""{"skus":["1",""]}""", "invalid_sku")]
    public async Task Batch_bad_requests_are_400_with_a_reason(string body, string error)
    {
        using var response = await PostJsonAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ReadJsonAsync(response);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(0, _host.Counting.Calls);
    }

    [Fact]
    public async Task Batch_names_the_position_of_the_bad_key()
    {
        using var response = await PostJsonAsync("""{"entity_keys":["sku:1","sku:2","region:eu"]}""");

        using var json = await ReadJsonAsync(response);
        Assert.Equal(2, json.RootElement.GetProperty("index").GetInt32());
        Assert.Equal("region:eu", json.RootElement.GetProperty("entity_key").GetString());
    }

    [Fact]
    public async Task Batch_over_the_default_limit_of_1000_is_400()
    {
        var keys = Enumerable.Range(0, 1001).Select(i => $"sku:{i}").ToArray();

        using var response = await Client.PostAsJsonAsync("/features/batch", new { entity_keys = keys });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("too_many_entities", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(0, _host.Counting.Calls);
    }

    [Fact]
    public async Task Schema_returns_hash_version_and_described_features_in_vector_order()
    {
        using var response = await Client.GetAsync("/features/schema");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var root = json.RootElement;
        var schema = FeatureSchema.Default;
        Assert.Equal(schema.Hash, root.GetProperty("schema_hash").GetString());
        Assert.Equal(FeatureSchema.Version, root.GetProperty("version").GetInt32());
        Assert.Equal(schema.Count, root.GetProperty("feature_count").GetInt32());
        Assert.Equal(schema.CanonicalText, root.GetProperty("canonical_text").GetString());
        var features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(schema.Names, features.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(schema.Definitions.Select(d => d.Description), features.Select(f => f.GetProperty("description").GetString()));
        Assert.Equal(0, _host.Counting.Calls);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_three_paths_their_status_codes_and_snake_case_bodies()
    {
        using var response = await Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var paths = json.RootElement.GetProperty("paths");

        var sku = paths.GetProperty("/features/{sku}").GetProperty("get");
        Assert.Equal("GetSkuFeatures", sku.GetProperty("operationId").GetString());
        Assert.Equal(["200", "400", "404"], ResponseCodes(sku));
        Assert.Contains("null", sku.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(sku.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "region");

        var batch = paths.GetProperty("/features/batch").GetProperty("post");
        Assert.Equal("GetFeaturesBatch", batch.GetProperty("operationId").GetString());
        Assert.Equal(["200", "400"], ResponseCodes(batch));
        Assert.True(batch.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));

        var schema = paths.GetProperty("/features/schema").GetProperty("get");
        Assert.Equal("GetFeatureSchema", schema.GetProperty("operationId").GetString());
        Assert.Equal(["200"], ResponseCodes(schema));

        var components = json.RootElement.GetProperty("components").GetProperty("schemas");
        var skuResponse = components.GetProperty(nameof(SkuFeaturesResponse)).GetProperty("properties");
        Assert.Equal("integer", skuResponse.GetProperty("staleness_ms").GetProperty("type").GetString());
        var featureValue = skuResponse.GetProperty("features").GetProperty("additionalProperties").GetProperty("type");
        Assert.Equal(["null", "number"], featureValue.EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
        Assert.True(skuResponse.TryGetProperty("entity_key", out _));
        Assert.True(components.GetProperty(nameof(FeaturesBatchRequest)).GetProperty("properties").TryGetProperty("entity_keys", out _));
        Assert.True(components.GetProperty(nameof(FeaturesApiError)).GetProperty("properties").TryGetProperty("error", out _));
    }

    private static string[] ResponseCodes(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();

    private async Task<HttpResponseMessage> PostJsonAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Client.PostAsync("/features/batch", content);
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());
}

public sealed class FeaturesApiOptionsTests
{
    [Fact]
    public async Task Configured_limit_is_enforced()
    {
        await using var host = await ApiHost.StartAsync(s => s.Configure<FeaturesApiOptions>(o => o.MaxEntitiesPerRequest = 3));

        using var atLimit = await host.Client.PostAsJsonAsync("/features/batch", new { skus = new[] { "1", "2", "3" } });
        using var overLimit = await host.Client.PostAsJsonAsync("/features/batch", new { skus = new[] { "1", "2", "3", "4" } });

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, overLimit.StatusCode);
        Assert.Contains("too_many_entities", await overLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, host.Counting.Calls);
    }

    [Fact]
    public async Task A_limit_below_one_fails_at_start()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(
            () => ApiHost.StartAsync(s => s.Configure<FeaturesApiOptions>(o => o.MaxEntitiesPerRequest = 0)));
    }
}

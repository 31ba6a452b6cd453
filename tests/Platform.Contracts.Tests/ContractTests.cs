using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Contracts.Tests;

/// <summary>Keeps docs/contracts.md and docs/schemas/ true to the records in Platform.Contracts.</summary>
public sealed class ContractTests
{
    /// <summary>What OrderValidator requires on orders.raw; the other schemas require every non-nullable property.</summary>
    private static readonly Dictionary<Type, string[]> ValidatorRequired = new()
    {
        [typeof(OrderEvent)] = ["schema_version", "event_type", "order_id", "occurred_at", "currency", "lines"],
        [typeof(OrderLine)] = ["sku", "quantity", "unit_price"],
    };

    public static TheoryData<string> RecordTypes() => RecordCatalog.TypeNames();

    public static TheoryData<string> SampleTypes() => Samples.TypeNames();

    public static TheoryData<string> TopicNames()
    {
        var data = new TheoryData<string>();
        foreach (var topic in Topics.All)
        {
            data.Add(topic);
        }

        return data;
    }

    [Fact]
    public void Every_record_type_of_the_contracts_assembly_is_catalogued()
    {
        var catalogued = RecordCatalog.Entries.Select(e => e.Type).ToHashSet();
        var missing = RecordCatalog.AllRecordTypes().Where(t => !catalogued.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "document these records in docs/contracts.md and docs/schemas: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Snake_case_names_match_the_serializer(string typeName)
    {
        var entry = RecordCatalog.Get(typeName);
        var expected = RecordCatalog.Properties(entry.Type).Select(RecordCatalog.JsonName).Order(StringComparer.Ordinal);
        var actual = RecordCatalog.TypeInfo(entry.Type).Properties.Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Doc_field_table_lists_exactly_the_record_properties(string typeName)
    {
        var entry = RecordCatalog.Get(typeName);
        var expected = RecordCatalog.Properties(entry.Type).Select(RecordCatalog.JsonName).ToHashSet();
        var documented = ContractDocs.NamesInTable($"<!-- fields: {typeName} -->");
        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.Empty(expected.Except(documented).Select(n => $"{typeName}.{n} is not in docs/contracts.md"));
        Assert.Empty(documented.Except(expected).Select(n => $"docs/contracts.md lists {typeName}.{n}, which the record lacks"));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Schema_properties_are_exactly_the_record_properties(string typeName)
    {
        var entry = RecordCatalog.Get(typeName);
        var schema = RecordCatalog.SchemaFor(entry);
        var expected = RecordCatalog.Properties(entry.Type).Select(RecordCatalog.JsonName).ToHashSet();
        var inSchema = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Empty(expected.Except(inSchema).Select(n => $"{typeName}.{n} is not in the {entry.Topic} schema"));
        Assert.Empty(inSchema.Except(expected).Select(n => $"the {entry.Topic} schema has {n}, which {typeName} lacks"));
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Schema_required_matches_the_validator_or_nullability_and_the_doc(string typeName)
    {
        var entry = RecordCatalog.Get(typeName);
        var expected = ValidatorRequired.TryGetValue(entry.Type, out var required)
            ? required.ToHashSet()
            : RecordCatalog.Properties(entry.Type).Where(p => !RecordCatalog.IsNullable(p)).Select(RecordCatalog.JsonName).ToHashSet();
        var schemaRequired = RecordCatalog.SchemaFor(entry)["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.True(expected.SetEquals(schemaRequired),
            $"{entry.Topic} schema required [{string.Join(", ", schemaRequired.Order())}], expected [{string.Join(", ", expected.Order())}]");

        // The doc's "Required" column (third) says the same.
        var docRequired = ContractDocs.TableAfter($"<!-- fields: {typeName} -->")
            .Where(r => r[2].Equals("yes", StringComparison.OrdinalIgnoreCase)).Select(r => r[0]).ToHashSet();
        Assert.True(expected.SetEquals(docRequired),
            $"docs/contracts.md marks [{string.Join(", ", docRequired.Order())}] of {typeName} required, expected [{string.Join(", ", expected.Order())}]");
    }

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void Every_topic_has_a_section_and_a_draft_2020_12_schema(string topic)
    {
        Assert.Contains($"## {topic}", ContractDocs.Lines);
        var schema = ContractDocs.LoadSchema(topic);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.EndsWith($"/{topic}.v1.schema.json", schema["$id"]!.GetValue<string>());
        Assert.Contains($"schemas/{topic}.v1.schema.json", ContractDocs.Text);
    }

    [Fact]
    public void Every_schema_file_belongs_to_a_topic()
    {
        var files = Directory.GetFiles(Path.Combine(ContractDocs.DocsFolder, "schemas"), "*.json").Select(Path.GetFileName);
        Assert.Equal(Topics.All.Select(t => $"{t}.v1.schema.json").Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_json_block_in_the_doc_is_labelled()
    {
        var examples = ContractDocs.JsonExamples();
        Assert.NotEmpty(examples);
        Assert.Empty(examples.Where(e => e.Label is null).Select(e => $"```json at line {e.Line} has no <!-- example: Type --> label"));
        var known = RecordCatalog.Entries.Select(e => e.Type.Name).ToHashSet();
        Assert.Empty(examples.Where(e => !known.Contains(e.Label!.TrimEnd('[', ']')) && !e.Label!.StartsWith("http-", StringComparison.Ordinal))
            .Select(e => $"unknown example label {e.Label} at line {e.Line}"));
    }

    [Fact]
    public void Every_message_record_has_an_example_in_the_doc()
    {
        var labelled = ContractDocs.JsonExamples().Select(e => e.Label).ToHashSet();
        foreach (var sample in Samples.All)
        {
            Assert.Contains(sample.GetType().Name, labelled);
        }
    }

    [Fact]
    public void Doc_examples_deserialize_and_reserialize_to_the_same_property_names()
    {
        var checkedCount = 0;
        foreach (var (label, json, line) in ContractDocs.JsonExamples())
        {
            var node = JsonNode.Parse(json); // every block must at least be valid JSON
            if (label is null || label.StartsWith("http-", StringComparison.Ordinal))
            {
                continue;
            }

            var typeName = label.TrimEnd('[', ']');
            var typeInfo = RecordCatalog.TypeInfo(RecordCatalog.Get(typeName).Type);
            var items = label.EndsWith("[]", StringComparison.Ordinal) ? node!.AsArray().ToList() : [node];
            foreach (var item in items)
            {
                var value = JsonSerializer.Deserialize(item!.ToJsonString(), typeInfo);
                Assert.NotNull(value);
                var again = JsonNode.Parse(JsonSerializer.Serialize(value, typeInfo));
                var expected = RecordCatalog.PropertyPaths(item);
                var actual = RecordCatalog.PropertyPaths(again);
                Assert.True(expected.SetEquals(actual),
                    $"example {label} at line {line}: only in the example [{string.Join(", ", expected.Except(actual))}], " +
                    $"only after the round trip [{string.Join(", ", actual.Except(expected))}]");
                checkedCount++;
            }
        }

        Assert.True(checkedCount >= Samples.All.Count);
    }

    [Fact]
    public void Every_rejection_reason_is_in_the_reason_table_and_nothing_else()
    {
        var constants = typeof(RejectionReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.True(constants.SetEquals(RejectionReasons.All), "RejectionReasons.All is out of step with its constants");

        var documented = ContractDocs.NamesInTable("<!-- reasons -->");
        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.Empty(constants.Except(documented).Select(r => $"{r} is not in the reason table"));
        Assert.Empty(documented.Except(constants).Select(r => $"the reason table lists {r}, which RejectionReasons lacks"));

        // The orders.rejected schema enumerates them too.
        var schemaReasons = ContractDocs.LoadSchema(Topics.OrdersRejected)["properties"]!["reason"]!["enum"]!.AsArray()
            .Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.True(constants.SetEquals(schemaReasons), "orders.rejected schema's reason enum differs from RejectionReasons");
    }

    [Fact]
    public void Every_dead_letter_header_is_documented()
    {
        var constants = typeof(DeadLetterHeaders).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        var documented = ContractDocs.NamesInTable("<!-- headers -->").ToHashSet();
        Assert.True(constants.SetEquals(documented),
            $"headers in code [{string.Join(", ", constants.Order())}], in the doc [{string.Join(", ", documented.Order())}]");
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void Sample_sets_every_property(string typeName)
    {
        AssertPopulated(Samples.Get(typeName), typeName);
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void Round_trip_through_ContractsJsonContext_preserves_the_record(string typeName)
    {
        var sample = Samples.Get(typeName);
        var typeInfo = RecordCatalog.TypeInfo(sample.GetType());
        var json = JsonSerializer.Serialize(sample, typeInfo);
        var back = JsonSerializer.Deserialize(json, typeInfo);
        Assert.NotNull(back);

        var hasLists = RecordCatalog.Properties(sample.GetType()).Any(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType));
        if (hasLists)
        {
            // Lists compare by reference in record equality: compare the JSON instead.
            Assert.Equal(json, JsonSerializer.Serialize(back, typeInfo));
        }
        else
        {
            Assert.Equal(sample, back);
        }

        // snake_case on the wire, and every property written (none is null in the sample).
        var names = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.True(RecordCatalog.Properties(sample.GetType()).Select(RecordCatalog.JsonName).ToHashSet().SetEquals(names));
    }

    [Fact]
    public void Nulls_are_omitted_on_the_wire()
    {
        var json = JsonSerializer.Serialize(new OrderRejected { Reason = RejectionReasons.EmptyPayload }, ContractsJsonContext.Default.OrderRejected);
        var names = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.DoesNotContain("field", names);
        Assert.DoesNotContain("payload", names);
        Assert.DoesNotContain("source_offset", names);
        Assert.Contains("payload_truncated", names);
    }

    private static void AssertPopulated(object instance, string path)
    {
        var empty = Activator.CreateInstance(instance.GetType())!;
        foreach (var property in RecordCatalog.Properties(instance.GetType()))
        {
            var value = property.GetValue(instance);
            var name = $"{path}.{property.Name}";
            Assert.True(value is not null, $"{name} is null in the sample");
            if (value is IEnumerable list and not string)
            {
                var items = list.Cast<object>().ToList();
                Assert.True(items.Count > 0, $"{name} is empty in the sample");
                if (items[0].GetType().GetMethod("<Clone>$") is not null)
                {
                    AssertPopulated(items[0], name + "[0]");
                }
            }
            else if (property.Name != nameof(OrderEvent.SchemaVersion))
            {
                Assert.False(Equals(value, property.GetValue(empty)), $"{name} keeps its default value in the sample");
            }
        }
    }
}

using System.Diagnostics;
using Confluent.Kafka;
using Platform.Contracts;
using Platform.Features;
using Platform.Kafka;

namespace Platform.FeatureStore;

/// <summary>
/// The trace contexts of the lines that changed each entity in one flush, so the entity's features.updated notice
/// continues their traces: it is published under a "features.updated create" span that is a child of the newest such
/// line's process span and links to the others (<see cref="KafkaTracing.StartCreate"/>). Lines without a context cost
/// nothing here.
/// </summary>
internal sealed class NoticeTraceContexts
{
    private readonly Dictionary<string, List<ActivityContext>> _byEntity = new(StringComparer.Ordinal);

    public void Clear() => _byEntity.Clear();

    /// <summary>Remembers <paramref name="context"/> for every entity of <paramref name="scope"/> that <paramref name="line"/> was applied to.</summary>
    public void Add(OrderLineValidated line, EntityScope scope, ActivityContext context)
    {
        if (context.TraceId == default)
        {
            return;
        }

        // The same keys PartitionFeatureAggregator.Apply folds the line into.
        if ((scope & EntityScope.Sku) != 0)
        {
            AddTo(EntityKeys.Sku(line.Sku), context);
            AddTo(EntityKeys.SkuRegion(line.Sku, line.Region), context);
        }

        if ((scope & EntityScope.Category) != 0 && line.Category is not null)
        {
            AddTo(EntityKeys.Category(line.Category), context);
        }
    }

    /// <summary>
    /// Starts the span the entity's notice is published under (null when no traced line changed it or nothing listens) and
    /// gives the headers to publish it with: the newest line's context, which the publish span replaces with its own when
    /// tracing is on here, and which is handed on as it is when it is not.
    /// </summary>
    public Activity? StartNotice(string entityKey, out Headers? headers)
    {
        if (!_byEntity.TryGetValue(entityKey, out var contexts))
        {
            headers = null;
            return null;
        }

        headers = [];
        KafkaTracing.Inject(contexts[^1], headers);
        return KafkaTracing.StartCreate(Topics.FeaturesUpdated, entityKey, contexts);
    }

    private void AddTo(string entityKey, ActivityContext context)
    {
        if (!_byEntity.TryGetValue(entityKey, out var contexts))
        {
            _byEntity[entityKey] = contexts = [];
        }

        contexts.Add(context);
    }
}

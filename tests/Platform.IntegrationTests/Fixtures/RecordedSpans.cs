using System.Diagnostics;

namespace Platform.IntegrationTests.Fixtures;

/// <summary>
/// Where the OpenTelemetry in-memory exporter puts finished spans. Spans end on the services' consumer threads while the
/// test reads them, so every access takes a lock and reads work on a copy.
/// </summary>
public sealed class RecordedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The spans of one trace finished so far.</summary>
    public List<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return _spans.Where(s => s.TraceId == traceId).ToList();
        }
    }

    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_gate)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

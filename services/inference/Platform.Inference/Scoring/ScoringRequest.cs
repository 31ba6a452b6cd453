using System.Threading.Tasks.Sources;

namespace Platform.Inference.Scoring;

/// <summary>
/// One row to score: its inputs (a demand window, the forecast origin, the SKU's features for covariates) and, once
/// <see cref="Completion"/> has completed, its forecast in units with the version of the model that made it. Pooled by
/// <see cref="MicroBatcher"/> (rent, fill, submit, await, read, return), so scoring a row allocates nothing: the output
/// arrays are reused and the completion is a reusable value-task source, not a Task per row.
/// </summary>
public sealed class ScoringRequest : IValueTaskSource
{
    // Continuations run on the thread pool, never inline on the batcher's loop, which must go on to the next batch.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    internal ScoringRequest()
    {
    }

    /// <summary>Hourly demand, oldest first; the last L values (L = the model's lookback) are the model's window.</summary>
    public ReadOnlyMemory<int> Window { get; set; }

    /// <summary>Start of the first forecast period (UTC): the hour after the window.</summary>
    public DateTime Origin { get; set; }

    /// <summary>The SKU's online features, read by name for a model with covariates; null when it has none.</summary>
    public IReadOnlyDictionary<string, double>? Features { get; set; }

    /// <summary>Caller's own tag (for example the index of the SKU in its batch).</summary>
    public int Tag { get; set; }

    /// <summary>P10 per forecast step, in units (valid for <see cref="Horizon"/> steps once completed without error).</summary>
    public double[] P10 { get; private set; } = [];

    public double[] P50 { get; private set; } = [];

    public double[] P90 { get; private set; } = [];

    public int Horizon { get; private set; }

    /// <summary>The served model that scored this row: one version per row, whatever was reloaded meanwhile.</summary>
    public ServingModel? Model { get; private set; }

    /// <summary>Why the row could not be scored; null after success. Awaiting <see cref="Completion"/> throws it too.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Completes when the row is scored (or has failed: then it throws <see cref="Error"/>).</summary>
    public ValueTask Completion => new(this, _core.Version);

    internal long EnqueuedAt { get; set; }

    internal void Reset()
    {
        _core.Reset();
        Window = default;
        Features = null;
        Model = null;
        Error = null;
        Horizon = 0;
        Tag = 0;
    }

    /// <summary>Output arrays of at least <paramref name="horizon"/> values; they only grow, so a steady model reuses them.</summary>
    internal void PrepareOutputs(int horizon)
    {
        if (P50.Length < horizon)
        {
            P10 = new double[horizon];
            P50 = new double[horizon];
            P90 = new double[horizon];
        }

        Horizon = horizon;
    }

    internal void Succeed(ServingModel model)
    {
        Model = model;
        _core.SetResult(true);
    }

    internal void Fail(Exception error)
    {
        Error = error;
        _core.SetException(error);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

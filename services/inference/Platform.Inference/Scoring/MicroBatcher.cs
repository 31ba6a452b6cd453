using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Inference.Scoring;

/// <summary>
/// Dynamic micro-batching in front of the model, after Triton's dynamic batcher: rows are queued in a bounded channel
/// and one loop takes them in order into batches of up to <see cref="MicroBatcherOptions.MaxBatchSize"/>, running a
/// batch as soon as it is full or its first row has waited <see cref="MicroBatcherOptions.MaxQueueDelay"/>.
/// </summary>
/// <remarks>
/// <para>One loop owns the model: it builds each batch's rows into one reused input buffer, runs the model once, and
/// unscales into each request's reused output arrays, so the hot path allocates nothing per row.</para>
/// <para>Hot reload: <see cref="Publish"/> only hands a new model over; the loop switches to it before its next batch and
/// disposes the old one there. So a batch is scored by exactly one model, every row carries that model's version, and
/// no row is lost or scored twice by a switch.</para>
/// <para>Failures are per request: a row that cannot be built (a window shorter than the model's lookback) fails alone;
/// a model run that throws fails the rows of that batch; the loop goes on with the next batch.</para>
/// </remarks>
public sealed class MicroBatcher : IAsyncDisposable
{
    private readonly MicroBatcherOptions _options;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<ScoringRequest> _queue;
    private readonly ConcurrentQueue<ScoringRequest> _pool = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _modelGate = new();
    private readonly ScoringRequest?[] _batch;
    private readonly int[] _rowRequest;
    private readonly double[] _scales;
    private readonly long _maxDelayTicks;
    private readonly Task _loop;
    private ServingModel? _published;
    private ServingModel? _active;
    private float[] _rows = [];
    private float[] _p10 = [];
    private float[] _p50 = [];
    private float[] _p90 = [];

    public MicroBatcher(MicroBatcherOptions options, InferenceMetrics metrics, ILogger<MicroBatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _metrics = metrics;
        _logger = logger ?? NullLogger<MicroBatcher>.Instance;
        _queue = Channel.CreateBounded<ScoringRequest>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        _batch = new ScoringRequest?[options.MaxBatchSize];
        _rowRequest = new int[options.MaxBatchSize];
        _scales = new double[options.MaxBatchSize];
        _maxDelayTicks = (long)(options.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public MicroBatcherOptions Options => _options;

    /// <summary>The model rows will be scored with from the next batch on; null before the first <see cref="Publish"/>.</summary>
    public ServingModel? Model
    {
        get
        {
            lock (_modelGate)
            {
                return _published;
            }
        }
    }

    /// <summary>Rows waiting in the queue.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Makes <paramref name="model"/> the one the next batch runs on; the batcher owns it from now on and disposes the
    /// previous one once no batch uses it.
    /// </summary>
    public void Publish(ServingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_modelGate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            // A model published but never picked up by the loop is nobody's: dispose it here.
            if (_published is not null && !ReferenceEquals(_published, _active) && !ReferenceEquals(_published, model))
            {
                _published.Dispose();
            }

            _published = model;
        }
    }

    /// <summary>A request to fill (from the pool when one is free).</summary>
    public ScoringRequest Rent() => _pool.TryDequeue(out var request) ? request : new ScoringRequest();

    /// <summary>Gives a request back once its completion has been awaited and its outputs read.</summary>
    public void Return(ScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Reset();
        if (_pool.Count < _options.PoolSize)
        {
            _pool.Enqueue(request);
        }
    }

    /// <summary>
    /// Queues the request; completes at once unless the queue is full (then when there is room). Await
    /// <see cref="ScoringRequest.Completion"/> for the result.
    /// </summary>
    public ValueTask EnqueueAsync(ScoringRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.EnqueuedAt = Stopwatch.GetTimestamp();
        return _queue.Writer.TryWrite(request) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(request, ct);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_modelGate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        lock (_modelGate)
        {
            if (_published is not null && !ReferenceEquals(_published, _active))
            {
                _published.Dispose();
            }

            _active?.Dispose();
            _published = _active = null;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                var count = await CollectAsync(reader).ConfigureAwait(false);
                if (count > 0)
                {
                    Execute(count);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed: the rows still queued are failed below.
        }
        catch (Exception ex)
        {
            // Execute handles every failure it can foresee; anything else would leave callers waiting forever.
            _logger.LogCritical(ex, "The micro-batcher's loop failed; queued rows are failed");
        }
        finally
        {
            _queue.Writer.TryComplete();
            var stopped = new ObjectDisposedException(nameof(MicroBatcher), "The micro-batcher was stopped before the row was scored.");
            while (reader.TryRead(out var request))
            {
                request.Fail(stopped);
            }
        }
    }

    /// <summary>Takes the first queued row, then more until the batch is full or the first row's delay has passed.</summary>
    private async ValueTask<int> CollectAsync(ChannelReader<ScoringRequest> reader)
    {
        if (!reader.TryRead(out var first))
        {
            return 0;
        }

        var count = 0;
        _batch[count++] = first;
        var deadline = first.EnqueuedAt + _maxDelayTicks;
        while (count < _batch.Length)
        {
            if (reader.TryRead(out var next))
            {
                _batch[count++] = next;
                continue;
            }

            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0 || !await WaitForMoreAsync(reader, remaining).ConfigureAwait(false))
            {
                break;
            }
        }

        return count;
    }

    /// <returns>True when more rows arrived before <paramref name="remainingTicks"/> (Stopwatch ticks) passed.</returns>
    private async ValueTask<bool> WaitForMoreAsync(ChannelReader<ScoringRequest> reader, long remainingTicks)
    {
        var more = reader.WaitToReadAsync(_stopping.Token);
        if (more.IsCompleted)
        {
            return more.IsCompletedSuccessfully && more.Result;
        }

        // Once per partial batch, not per row: a timer races the channel.
        var waiting = more.AsTask();
        var delay = Task.Delay(TimeSpan.FromSeconds((double)remainingTicks / Stopwatch.Frequency), _stopping.Token);
        var first = await Task.WhenAny(waiting, delay).ConfigureAwait(false);
        return first == waiting && waiting.IsCompletedSuccessfully && waiting.Result;
    }

    private void Execute(int count)
    {
        var model = ActivateLatest();
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            _metrics.Queued((now - _batch[i]!.EnqueuedAt) * 1000.0 / Stopwatch.Frequency);
        }

        try
        {
            if (model is null)
            {
                var none = new NoModelLoadedException();
                for (var i = 0; i < count; i++)
                {
                    _metrics.RowFailed("no_model");
                    _batch[i]!.Fail(none);
                }

                return;
            }

            Score(model, count, now);
        }
        finally
        {
            Array.Clear(_batch, 0, count);
        }
    }

    private void Score(ServingModel model, int count, long started)
    {
        var layout = model.Layout;
        var width = layout.FeatureCount;
        var horizon = layout.Horizon;
        EnsureBuffers(width, horizon);
        var rows = 0;
        var calendar = default(ForecastRows.CalendarCache);
        for (var i = 0; i < count; i++)
        {
            var request = _batch[i]!;
            try
            {
                _scales[rows] = ForecastRows.Write(layout, request.Window.Span, request.Origin, request.Features, _rows.AsSpan(rows * width, width), ref calendar);
                _rowRequest[rows++] = i;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
            {
                _metrics.RowFailed("invalid_input");
                request.Fail(ex);
            }
        }

        if (rows == 0)
        {
            return;
        }

        var length = rows * horizon;
        try
        {
            model.Scorer(_rows.AsSpan(0, rows * width), rows, _p10.AsSpan(0, length), _p50.AsSpan(0, length), _p90.AsSpan(0, length));
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Model {Version} failed on a batch of {Rows} rows; they are failed, the next batch goes on", model.Label, rows);
            for (var r = 0; r < rows; r++)
            {
                _metrics.RowFailed("model_error");
                _batch[_rowRequest[r]]!.Fail(ex);
            }

            return;
        }

        var floor = layout.NonNegative ? 0.0 : double.NegativeInfinity;
        for (var r = 0; r < rows; r++)
        {
            var request = _batch[_rowRequest[r]]!;
            if (Unscale(request, r * horizon, horizon, _scales[r], floor))
            {
                request.Succeed(model);
            }
            else
            {
                _metrics.RowFailed("output_not_finite");
                request.Fail(new InvalidDataException($"Model {model.Label} gave a forecast that is not finite."));
            }
        }

        _metrics.Batch(rows, (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency);
    }

    /// <summary>Scaled outputs to units, as NeuralFeatureLayout.Unscale does: × s, clamped at 0 for demand, P10 ≤ P50 ≤ P90 kept.</summary>
    private bool Unscale(ScoringRequest request, int offset, int horizon, double scale, double floor)
    {
        request.PrepareOutputs(horizon);
        var lo = request.P10;
        var mid = request.P50;
        var hi = request.P90;
        for (var h = 0; h < horizon; h++)
        {
            double a = _p10[offset + h] * scale, m = _p50[offset + h] * scale, b = _p90[offset + h] * scale;
            if (!double.IsFinite(a) || !double.IsFinite(m) || !double.IsFinite(b))
            {
                return false;
            }

            mid[h] = Math.Max(m, floor);
            lo[h] = Math.Min(Math.Max(a, floor), mid[h]);
            hi[h] = Math.Max(b, mid[h]);
        }

        return true;
    }

    private ServingModel? ActivateLatest()
    {
        lock (_modelGate)
        {
            if (!ReferenceEquals(_published, _active))
            {
                // Between batches: nothing uses the old session any more.
                var old = _active;
                _active = _published;
                old?.Dispose();
                if (_active is not null)
                {
                    _logger.LogInformation("Now serving model {Version} on {Provider}", _active.Label, _active.ExecutionProvider);
                }
            }

            return _active;
        }
    }

    private void EnsureBuffers(int width, int horizon)
    {
        var max = _batch.Length;
        if (_rows.Length < max * width)
        {
            _rows = new float[max * width];
        }

        if (_p50.Length < max * horizon)
        {
            _p10 = new float[max * horizon];
            _p50 = new float[max * horizon];
            _p90 = new float[max * horizon];
        }
    }
}

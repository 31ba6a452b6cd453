using Platform.Inference.Scoring;

namespace Platform.Inference.Tests;

public sealed class MicroBatcherTests : IAsyncLifetime
{
    private static readonly DateTime Origin = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly InferenceMetrics _metrics = new();
    private readonly FakeModels _fake = new();
    private MicroBatcher? _batcher;

    [Fact]
    public async Task Batcher_QueueHoldsMoreThanABatch_FillsEachBatchToMaxSize()
    {
        var batcher = Start(maxBatch: 8, delay: TimeSpan.FromSeconds(30));

        var requests = await EnqueueAsync(batcher, Enumerable.Range(1, 24).Select(i => new[] { i, i, i, i }));
        await CompleteAllAsync(requests);

        Assert.Equal([8, 8, 8], _fake.BatchSizes);
        Assert.Equal(24, _metrics.Rows);
        Assert.Equal(3, _metrics.Batches);
    }

    [Fact]
    public async Task Batcher_FewerRowsThanABatch_RunsThemWhenTheQueueDelayHasPassed()
    {
        var batcher = Start(maxBatch: 64, delay: TimeSpan.FromMilliseconds(300));

        var requests = await EnqueueAsync(batcher, Enumerable.Range(1, 5).Select(i => new[] { 0, 0, 0, i }));
        await CompleteAllAsync(requests);

        Assert.Equal([5], _fake.BatchSizes);
    }

    [Fact]
    public async Task Batcher_ZeroDelay_RunsWhatIsQueuedWithoutWaiting()
    {
        var batcher = Start(maxBatch: 64, delay: TimeSpan.Zero);

        var request = (await EnqueueAsync(batcher, [[1, 2, 3, 4]]))[0];
        await request.Completion;

        Assert.Equal(4, request.P50[0], 1e-3);
    }

    [Fact]
    public async Task Batcher_ManyRows_EachGetsItsOwnForecast_InSubmissionOrder()
    {
        var batcher = Start(maxBatch: 7, delay: TimeSpan.FromMilliseconds(1));
        var windows = Enumerable.Range(0, 500).Select(i => new[] { i % 5, 3, i % 7, i }).ToArray();

        var requests = await EnqueueAsync(batcher, windows);
        await CompleteAllAsync(requests);

        for (var i = 0; i < windows.Length; i++)
        {
            Assert.Equal(FakeModels.ExpectedP50(windows[i]), requests[i].P50[0], 1e-3);
            Assert.Equal(FakeModels.ExpectedP50(windows[i]), requests[i].P50[1], 1e-3);
            Assert.True(requests[i].P10[0] <= requests[i].P50[0] && requests[i].P50[0] <= requests[i].P90[0]);
            Assert.Equal(2, requests[i].Horizon);
            Assert.Equal("v0001", requests[i].Model!.Label);
        }

        Assert.Equal(500, _fake.BatchSizes.Sum());
        Assert.All(_fake.BatchSizes, size => Assert.InRange(size, 1, 7));
    }

    [Fact]
    public async Task Batcher_ARowThatCannotBeBuilt_FailsAlone()
    {
        var batcher = Start(maxBatch: 16, delay: TimeSpan.FromMilliseconds(50));

        var requests = await EnqueueAsync(batcher, [[1, 1, 1, 1], [2, 2], [3, 3, 3, 3]]);

        await requests[0].Completion;
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await requests[1].Completion);
        await requests[2].Completion;
        Assert.Contains("needs 4", error.Message, StringComparison.Ordinal);
        Assert.Same(error, requests[1].Error);
        Assert.Equal(3, requests[2].P50[0], 1e-3);
    }

    [Fact]
    public async Task Batcher_ModelThrowsOnABatch_ThatBatchsRowsFail_TheNextBatchIsScored()
    {
        var batcher = Start(maxBatch: 4, delay: TimeSpan.FromSeconds(30));
        _fake.PoisonValue = 99;

        var requests = await EnqueueAsync(batcher, [[1, 1, 1, 1], [1, 1, 1, 99], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4], [5, 5, 5, 5], [6, 6, 6, 6], [7, 7, 7, 7]]);

        for (var i = 0; i < 4; i++)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await requests[i].Completion);
            Assert.Equal("poisoned batch", error.Message);
        }

        for (var i = 4; i < 8; i++)
        {
            await requests[i].Completion;
            Assert.Equal(i, requests[i].P50[0], 1e-3);
        }
    }

    [Fact]
    public async Task Batcher_NoModelPublished_FailsRowsWithNoModelLoaded()
    {
        _batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.Zero }, _metrics);

        var request = (await EnqueueAsync(_batcher, [[1, 2, 3, 4]]))[0];

        await Assert.ThrowsAsync<NoModelLoadedException>(async () => await request.Completion);
    }

    [Fact]
    public async Task Batcher_PublishedModels_AreDisposedOnceReplacedOrStopped()
    {
        var disposed = new List<int>();
        var batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.Zero }, _metrics);
        batcher.Publish(_fake.Create(1, disposed));
        await CompleteAllAsync(await EnqueueAsync(batcher, [[1, 2, 3, 4]]));

        // v2 is replaced by v3 before any batch used it; v1 goes when the next batch switches to v3.
        batcher.Publish(_fake.Create(2, disposed));
        batcher.Publish(_fake.Create(3, disposed));
        Assert.Equal([2], disposed);
        var after = await EnqueueAsync(batcher, [[1, 2, 3, 4]]);
        await CompleteAllAsync(after);
        Assert.Equal("v0003", after[0].Model!.Label);
        Assert.Equal([2, 1], disposed);

        await batcher.DisposeAsync();
        Assert.Equal([2, 1, 3], disposed);
    }

    [Fact]
    public async Task Batcher_ReturnedRequests_AreReused()
    {
        var batcher = Start(maxBatch: 4, delay: TimeSpan.Zero);
        var first = (await EnqueueAsync(batcher, [[1, 2, 3, 4]]))[0];
        await first.Completion;
        batcher.Return(first);

        var second = batcher.Rent();

        Assert.Same(first, second);
        Assert.Null(second.Model);
        Assert.Null(second.Error);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_batcher is not null)
        {
            await _batcher.DisposeAsync();
        }

        _metrics.Dispose();
    }

    private MicroBatcher Start(int maxBatch, TimeSpan delay)
    {
        _batcher = new MicroBatcher(new MicroBatcherOptions { MaxBatchSize = maxBatch, MaxQueueDelay = delay }, _metrics);
        _batcher.Publish(_fake.Create(1));
        return _batcher;
    }

    private static async Task<ScoringRequest[]> EnqueueAsync(MicroBatcher batcher, IEnumerable<int[]> windows)
    {
        var requests = new List<ScoringRequest>();
        foreach (var window in windows)
        {
            var request = batcher.Rent();
            request.Window = window;
            request.Origin = Origin;
            requests.Add(request);
            await batcher.EnqueueAsync(request);
        }

        return [.. requests];
    }

    private static async Task CompleteAllAsync(IEnumerable<ScoringRequest> requests)
    {
        foreach (var request in requests)
        {
            await request.Completion;
        }
    }
}

namespace Platform.Forecasting.Neural;

/// <summary>
/// The buffers and per-batch work of one training run: builds the rows of a batch from their windows, runs the
/// batch's fixed slices in parallel (forward, loss, backward), and sums the slices' gradients in slice order.
/// </summary>
internal sealed class TrainingRun
{
    private readonly QuantileMlp _network;
    private readonly NeuralFeatureLayout _layout;
    private readonly IReadOnlyList<TimeSeries> _series;
    private readonly CovariateProvider? _covariates;
    private readonly TrainingWindows _windows;
    private readonly int _batchSize;
    private readonly int _sliceCount;
    private readonly int _sliceCapacity;
    private readonly float[] _features;
    private readonly float[] _targets;
    private readonly float[] _covariateBuffer;
    private readonly MlpActivations[] _activations;
    private readonly MlpGradients[] _gradients;
    private float[]? _validationFeatures;
    private float[]? _validationTargets;

    public TrainingRun(QuantileMlp network, NeuralFeatureLayout layout, IReadOnlyList<TimeSeries> series, NeuralForecasterOptions options, CovariateProvider? covariates, TrainingWindows windows)
    {
        _network = network;
        _layout = layout;
        _series = series;
        _covariates = covariates;
        _windows = windows;
        _batchSize = options.BatchSize;
        _sliceCount = options.Slices;
        _sliceCapacity = (options.BatchSize + options.Slices - 1) / options.Slices;
        _features = new float[_batchSize * layout.FeatureCount];
        _targets = new float[_batchSize * layout.Horizon];
        _covariateBuffer = new float[layout.CovariateCount];
        _activations = Enumerable.Range(0, _sliceCount).Select(_ => new MlpActivations(network, _sliceCapacity)).ToArray();
        _gradients = Enumerable.Range(0, _sliceCount).Select(_ => new MlpGradients(network, _sliceCapacity)).ToArray();
    }

    /// <summary>One pass over <paramref name="order"/> (indices into the training windows); returns the mean batch loss.</summary>
    public double TrainEpoch(ReadOnlySpan<int> order, AdamOptimizer optimizer)
    {
        double total = 0;
        var batches = 0;
        var features = _layout.FeatureCount;
        var horizon = _layout.Horizon;
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            var rows = Math.Min(_batchSize, order.Length - start);
            for (var r = 0; r < rows; r++)
            {
                var window = order[start + r];
                WriteRow(_windows.TrainSeries[window], _windows.TrainOrigins[window], _features.AsSpan(r * features, features), _targets.AsSpan(r * horizon, horizon));
            }

            total += RunBatch(rows);
            optimizer.Step(_network, _gradients[0]);
            batches++;
        }

        return total / Math.Max(1, batches);
    }

    /// <summary>Mean pinball loss over all validation windows (rows built once, on first use).</summary>
    public double ValidationLoss()
    {
        var count = _windows.ValidationCount;
        var features = _layout.FeatureCount;
        var horizon = _layout.Horizon;
        if (_validationFeatures is null || _validationTargets is null)
        {
            _validationFeatures = new float[count * features];
            _validationTargets = new float[count * horizon];
            for (var i = 0; i < count; i++)
            {
                WriteRow(_windows.ValidationSeries[i], _windows.ValidationOrigins[i], _validationFeatures.AsSpan(i * features, features), _validationTargets.AsSpan(i * horizon, horizon));
            }
        }

        var validationFeatures = _validationFeatures;
        var validationTargets = _validationTargets;
        var perSlice = (count + _sliceCount - 1) / _sliceCount;
        var sums = new double[_sliceCount];
        Parallel.For(0, _sliceCount, slice =>
        {
            var end = Math.Min(count, (slice + 1) * perSlice);
            double sum = 0;
            for (var from = slice * perSlice; from < end; from += _sliceCapacity)
            {
                var rows = Math.Min(_sliceCapacity, end - from);
                _network.Forward(validationFeatures.AsSpan(from * features, rows * features), rows, _activations[slice]);
                sum += rows * PinballLoss.Evaluate(_activations[slice], validationTargets.AsSpan(from * horizon, rows * horizon), rows, horizon, null, rows);
            }

            sums[slice] = sum;
        });

        double total = 0;
        foreach (var s in sums)
        {
            total += s;
        }

        return total / count;
    }

    private double RunBatch(int rows)
    {
        var features = _layout.FeatureCount;
        var horizon = _layout.Horizon;
        var perSlice = (rows + _sliceCount - 1) / _sliceCount;
        var active = (rows + perSlice - 1) / perSlice;
        var losses = new double[active];
        Parallel.For(0, active, slice =>
        {
            var from = slice * perSlice;
            var count = Math.Min(perSlice, rows - from);
            var x = _features.AsSpan(from * features, count * features);
            _network.Forward(x, count, _activations[slice]);
            losses[slice] = PinballLoss.Evaluate(_activations[slice], _targets.AsSpan(from * horizon, count * horizon), count, horizon, _gradients[slice], rows);
            _gradients[slice].Backward(_network, x, count, _activations[slice]);
        });

        double loss = 0;
        for (var slice = 0; slice < active; slice++)
        {
            loss += losses[slice];
            if (slice > 0)
            {
                _gradients[0].Add(_gradients[slice]);
            }
        }

        return loss;
    }

    private void WriteRow(int seriesIndex, int origin, Span<float> featureRow, Span<float> targetRow)
    {
        var series = _series[seriesIndex];
        var present = false;
        if (_covariates is not null && _layout.CovariateCount > 0)
        {
            Array.Clear(_covariateBuffer);
            present = _covariates(series, origin, _covariateBuffer);
        }

        var scale = _layout.WriteFeatures(series, origin, _covariateBuffer, present, featureRow);
        _layout.WriteTargets(series, origin, scale, targetRow);
    }
}

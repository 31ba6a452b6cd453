using Platform.Forecasting.Baselines;
using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Evaluation;

/// <summary>
/// The models a backtest can run, by name. Each entry is a factory, so every run gets fresh model instances.
/// A new model needs one <see cref="Add"/> line in <see cref="CreateDefault"/>.
/// </summary>
public sealed class ForecastModelCatalog
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, Func<IForecastModel>> _factories = new(StringComparer.Ordinal);

    /// <summary>Every model the platform ships, in the order reports list them.</summary>
    public static ForecastModelCatalog CreateDefault() => new ForecastModelCatalog()
        .Add(NaiveBaseline.ModelName, () => new NaiveBaseline())
        .Add(SeasonalNaiveBaseline.ModelName, () => new SeasonalNaiveBaseline())
        .Add(MovingAverageBaseline.ModelName, () => new MovingAverageBaseline())
        .Add(HoltWintersBaseline.ModelName, () => new HoltWintersBaseline())
        .Add(NeuralQuantileForecaster.ModelName, () => new NeuralQuantileForecaster());

    /// <summary>Names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    public ForecastModelCatalog Add(string name, Func<IForecastModel> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"A model named '{name}' is already registered.", nameof(name));
        }

        _names.Add(name);
        return this;
    }

    /// <summary>Creates the named models, in the order given; all of them when <paramref name="names"/> is empty.</summary>
    /// <exception cref="ArgumentException">A name is unknown or repeated; the message lists the known names.</exception>
    public IReadOnlyList<IForecastModel> Create(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.Count == 0 ? _names : names;
        var unknown = wanted.Where(n => !_factories.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown model(s) {string.Join(", ", unknown)}; known: {string.Join(", ", _names)}.", nameof(names));
        }

        var repeated = wanted.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new ArgumentException($"model(s) {string.Join(", ", repeated)} listed more than once.", nameof(names));
        }

        return wanted.Select(n => _factories[n]()).ToList();
    }
}

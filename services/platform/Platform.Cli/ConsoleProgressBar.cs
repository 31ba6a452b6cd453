namespace Platform.Cli;

/// <summary>
/// Progress on stderr: a bar redrawn in place when stderr is a terminal, otherwise one line per 10 % (so logs
/// and CI output stay readable). Thread-safe: models report from several threads.
/// </summary>
internal sealed class ConsoleProgressBar(string label) : IProgress<double>
{
    private const int Width = 30;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly object _gate = new();
    private int _shown = -1;

    public void Report(double value)
    {
        var percent = (int)Math.Floor(Math.Clamp(value, 0, 1) * 100);
        lock (_gate)
        {
            if (_interactive && percent > _shown)
            {
                var filled = percent * Width / 100;
                Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}%");
                _shown = percent;
            }
            else if (!_interactive && percent / 10 > _shown / 10)
            {
                Console.Error.WriteLine($"{label}: {percent}%");
                _shown = percent;
            }
        }
    }

    /// <summary>Ends the bar's line, so what follows starts on a fresh one.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_interactive && _shown >= 0)
            {
                Console.Error.WriteLine();
            }
        }
    }
}

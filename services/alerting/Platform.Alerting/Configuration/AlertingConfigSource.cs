using Microsoft.Extensions.Options;

namespace Platform.Alerting.Configuration;

/// <summary>
/// Holds the configuration in force. <see cref="TryReload"/> re-reads the file: an unchanged file changes nothing, a valid
/// new one replaces the old at once, a bad one is refused with one error log line naming every problem, and the old
/// configuration keeps working. The first load happens at construction; a bad file then stops the service from starting.
/// </summary>
public sealed class AlertingConfigSource
{
    private readonly string? _path;
    private readonly AlertingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertingConfigSource> _logger;
    private readonly Lock _reloading = new();
    private volatile AlertingConfiguration _current;
    private string? _lastRefusedHash;

    public AlertingConfigSource(IOptions<AlertingOptions> options, AlertingMetrics metrics, TimeProvider time, ILogger<AlertingConfigSource> logger)
    {
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.ConfigFile))
        {
            _path = Path.GetFullPath(o.ConfigFile);
            _current = Load(ReadFile(_path), $"file {_path}");
        }
        else if (!string.IsNullOrWhiteSpace(o.ConfigYaml))
        {
            _current = Load(o.ConfigYaml, "Alerting:ConfigYaml");
        }
        else
        {
            logger.LogWarning("Alerting: no Alerting:ConfigFile or Alerting:ConfigYaml; using the built-in default, which notifies nobody");
            _current = Load(AlertingConfigTemplates.Default, "built-in default");
        }

        logger.LogInformation("Alerting configuration loaded from {Origin} ({Receivers} receivers, {Rules} inhibit rules)",
            _current.Origin, _current.Receivers.Count, _current.InhibitRules.Count);
    }

    public AlertingConfiguration Current => _current;

    /// <summary>The file re-read on reload; null when the configuration is inline or built in.</summary>
    public string? FilePath => _path;

    /// <returns>False when the file was refused (or unreadable); the configuration in force is then unchanged.</returns>
    public bool TryReload()
    {
        if (_path is null)
        {
            return true;
        }

        lock (_reloading)
        {
            string text;
            try
            {
                text = ReadFile(_path);
            }
            catch (AlertingConfigException ex)
            {
                return Refuse(ex.Message, hash: null);
            }

            var hash = AlertingConfigLoader.HashOf(text);
            if (hash == _current.Hash)
            {
                return true;
            }

            if (hash == _lastRefusedHash)
            {
                // Already refused and logged; refusing it again every poll would only flood the log.
                return false;
            }

            try
            {
                var next = AlertingConfigLoader.Parse(text, $"file {_path}", _time.GetUtcNow());
                _current = next;
                _lastRefusedHash = null;
                _metrics.ConfigReloaded(success: true);
                _logger.LogInformation("Alerting configuration reloaded from {Origin} ({Receivers} receivers, {Rules} inhibit rules)",
                    next.Origin, next.Receivers.Count, next.InhibitRules.Count);
                return true;
            }
            catch (AlertingConfigException ex)
            {
                return Refuse(ex.Message, hash);
            }
        }
    }

    private bool Refuse(string reason, string? hash)
    {
        _lastRefusedHash = hash;
        _metrics.ConfigReloaded(success: false);
        _logger.LogError("Alerting configuration refused, keeping the one loaded at {LoadedAt:O} from {Origin}: {Reason}",
            _current.LoadedAt, _current.Origin, reason);
        return false;
    }

    private AlertingConfiguration Load(string yaml, string origin)
    {
        try
        {
            var loaded = AlertingConfigLoader.Parse(yaml, origin, _time.GetUtcNow());
            _metrics.ConfigReloaded(success: true);
            return loaded;
        }
        catch (AlertingConfigException ex)
        {
            _metrics.ConfigReloaded(success: false);
            _logger.LogCritical("Alerting configuration refused at start: {Reason}", ex.Message);
            throw;
        }
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AlertingConfigException($"file {path}: cannot be read: {ex.Message}", ex);
        }
    }
}

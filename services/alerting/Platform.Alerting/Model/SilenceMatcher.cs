namespace Platform.Alerting.Model;

/// <summary>One matcher of a silence, in Alertmanager API v2's shape: equality or regex, positive or negated.</summary>
public sealed class SilenceMatcher
{
    public required string Name { get; init; }

    public required string Value { get; init; }

    public bool IsRegex { get; init; }

    /// <summary>False negates the matcher (!= or !~). Settable so the source-generated reader keeps the default.</summary>
    public bool IsEqual { get; set; } = true;

    public Matcher ToMatcher() => Matcher.Create(Name, (IsRegex, IsEqual) switch
    {
        (false, true) => MatchOperator.Equal,
        (false, false) => MatchOperator.NotEqual,
        (true, true) => MatchOperator.Regex,
        (true, false) => MatchOperator.NotRegex,
    }, Value);
}

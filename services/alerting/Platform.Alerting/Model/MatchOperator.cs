namespace Platform.Alerting.Model;

public enum MatchOperator
{
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Alerting.Model;

/// <summary>
/// A label matcher with Alertmanager's semantics: a missing label matches as the empty string, and regexes are fully
/// anchored (<c>severity=~"warn"</c> does not match "warning"). Text form: <c>name="value"</c>, <c>name!="value"</c>,
/// <c>name=~"regex"</c>, <c>name!~"regex"</c>; the quotes may be left out when the value has no spaces or quotes.
/// </summary>
public sealed class Matcher
{
    // A pathological pattern must not stall the engine: a match that runs out of time counts as no match.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _regex;

    private Matcher(string name, MatchOperator op, string value, Regex? regex)
    {
        Name = name;
        Operator = op;
        Value = value;
        _regex = regex;
    }

    public string Name { get; }

    public MatchOperator Operator { get; }

    public string Value { get; }

    /// <exception cref="FormatException">An empty or malformed label name, or a regex that does not compile.</exception>
    public static Matcher Create(string name, MatchOperator op, string value)
    {
        if (!IsValidLabelName(name))
        {
            throw new FormatException($"invalid label name \"{name}\": use letters, digits and underscores, not starting with a digit");
        }

        ArgumentNullException.ThrowIfNull(value);
        Regex? regex = null;
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            try
            {
                regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant | RegexOptions.Singleline, RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"invalid regex \"{value}\" for label {name}: {ex.Message}", ex);
            }
        }

        return new Matcher(name, op, value, regex);
    }

    /// <summary>Parses <c>name="value"</c> and the other three operators.</summary>
    /// <exception cref="FormatException">With a message that says what is wrong.</exception>
    public static Matcher Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var nameEnd = 0;
        while (nameEnd < s.Length && (char.IsAsciiLetterOrDigit(s[nameEnd]) || s[nameEnd] == '_'))
        {
            nameEnd++;
        }

        var name = s[..nameEnd];
        var rest = s[nameEnd..].TrimStart();
        MatchOperator op;
        if (rest.StartsWith("=~", StringComparison.Ordinal))
        {
            op = MatchOperator.Regex;
        }
        else if (rest.StartsWith("!~", StringComparison.Ordinal))
        {
            op = MatchOperator.NotRegex;
        }
        else if (rest.StartsWith("!=", StringComparison.Ordinal))
        {
            op = MatchOperator.NotEqual;
        }
        else if (rest.StartsWith('='))
        {
            op = MatchOperator.Equal;
        }
        else
        {
            throw new FormatException($"matcher \"{text}\" has no operator: expected name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"");
        }

        var valueText = rest[(op == MatchOperator.Equal ? 1 : 2)..].Trim();
        return Create(name, op, Unquote(valueText, text));
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var value = labels.TryGetValue(Name, out var v) ? v : "";
        return Operator switch
        {
            MatchOperator.Equal => string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.Regex => RegexMatches(value),
            MatchOperator.NotRegex => !RegexMatches(value),
            _ => false,
        };
    }

    public override string ToString()
    {
        var op = Operator switch
        {
            MatchOperator.Equal => "=",
            MatchOperator.NotEqual => "!=",
            MatchOperator.Regex => "=~",
            _ => "!~",
        };
        return $"{Name}{op}\"{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    public static bool IsValidLabelName(string? name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private bool RegexMatches(string value)
    {
        try
        {
            return _regex!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Unquote(string value, string text)
    {
        if (!value.StartsWith('"'))
        {
            if (value.Contains('"', StringComparison.Ordinal))
            {
                throw new FormatException($"matcher \"{text}\" has a stray quote in its value");
            }

            return value;
        }

        if (value.Length < 2 || !value.EndsWith('"'))
        {
            throw new FormatException($"matcher \"{text}\" has an unterminated quoted value");
        }

        var inner = value[1..^1];
        var result = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\\' && i + 1 < inner.Length)
            {
                // \\, \", \n and \t are escapes; any other backslash is kept, so regexes read as written (a\.b).
                var next = inner[i + 1];
                if (next is '\\' or '"' or 'n' or 't')
                {
                    result.Append(next switch { 'n' => '\n', 't' => '\t', _ => next });
                    i++;
                }
                else
                {
                    result.Append(c);
                }
            }
            else if (c == '"')
            {
                throw new FormatException($"matcher \"{text}\" has an unescaped quote inside its value");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}

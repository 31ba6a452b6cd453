using System.CommandLine;
using System.CommandLine.Invocation;

namespace Platform.Cli;

/// <summary>
/// A command action that also handles the command's usage errors (a missing required option, a value of the wrong
/// type, an unknown argument) and exits 2 with one line per error, instead of System.CommandLine's default exit 1,
/// so that scripts can tell bad usage or input (2) from success (0) the same way for every failure.
/// </summary>
internal sealed class UsageCheckedAction(string command, Func<ParseResult, int> run) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var problems = parseResult.Errors.Select(e => e.Message)
            .Concat(parseResult.UnmatchedTokens.Select(t => $"unrecognized argument '{t}'."))
            .ToList();
        if (problems.Count == 0)
        {
            return run(parseResult);
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"{command}: {problem}");
        }

        Console.Error.WriteLine($"{command}: see `platform {command} --help`.");
        return 2;
    }
}

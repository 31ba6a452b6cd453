using System.CommandLine;

namespace Platform.Cli.Tests;

/// <summary>Runs one `platform` command in-process, as a user would from the shell, and captures what it prints.</summary>
internal static class CliRun
{
    // Console redirection is process-wide: one command at a time (the tests that use it share one collection).
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Command command, params string[] args)
    {
        await Gate.WaitAsync();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            var root = new RootCommand("test") { command };
            var exit = await root.Parse([command.Name, .. args]).InvokeAsync();
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            Gate.Release();
        }
    }
}

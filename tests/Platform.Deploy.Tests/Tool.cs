using System.ComponentModel;
using System.Diagnostics;

namespace Platform.Deploy.Tests;

/// <summary>Runs a command-line tool from the repository root. A missing tool fails the test, never skips it.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string fileName, IReadOnlyList<string> arguments, string why)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{fileName} did not start");
        }
        catch (Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"'{fileName}' is not installed or not on PATH ({e.Message}); it is required: {why}.");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{fileName} {string.Join(' ', arguments)} did not finish within 60 s.");
            }

            return new Result(process.ExitCode, output.Result, error.Result);
        }
    }
}

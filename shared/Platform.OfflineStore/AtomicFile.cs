namespace Platform.OfflineStore;

/// <summary>Writes a file under its temporary name, flushes it to disk, then renames it into place.</summary>
internal static class AtomicFile
{
    public static async Task WriteAsync(string finalPath, bool overwrite, Func<Stream, Task> write, Func<string, Task>? beforeCommit, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(finalPath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = OfflineStoreLayout.TemporaryPathFor(finalPath);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }

            if (beforeCommit is not null) await beforeCommit(temp);
            ct.ThrowIfCancellationRequested();
            File.Move(temp, finalPath, overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is invisible to readers.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

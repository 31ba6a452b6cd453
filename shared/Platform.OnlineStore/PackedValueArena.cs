namespace Platform.OnlineStore;

/// <summary>
/// Storage for the values of the rows of one read, handed out from a few shared chunks instead of one array per row:
/// the reply they are copied from is a pooled buffer that goes back to the client library when the read ends. Chunks
/// stay below the large object heap threshold (85,000 bytes), and at 16 KiB a result kept alone (e.g. in a cache)
/// holds at most that much with it.
/// </summary>
internal struct PackedValueArena
{
    private const int MaxChunkBytes = 16 * 1024;

    private byte[]? _chunk;
    private int _used;

    /// <summary>
    /// <paramref name="length"/> bytes of their own; <paramref name="rowsLeft"/> (this row included) sizes a new chunk
    /// so that a read of a few rows does not take a whole chunk.
    /// </summary>
    public Memory<byte> Take(int length, int rowsLeft)
    {
        if (length == 0)
        {
            return Memory<byte>.Empty;
        }

        if (_chunk is null || _chunk.Length - _used < length)
        {
            var wanted = (long)length * Math.Max(1, rowsLeft);
            _chunk = new byte[(int)Math.Clamp(wanted, length, Math.Max(length, MaxChunkBytes))];
            _used = 0;
        }

        var memory = _chunk.AsMemory(_used, length);
        _used += length;
        return memory;
    }
}

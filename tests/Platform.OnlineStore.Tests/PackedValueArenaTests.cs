using System.Runtime.InteropServices;

namespace Platform.OnlineStore.Tests;

/// <summary>Where a read's values are copied to: every row its own bytes, and never an array on the large object heap.</summary>
public sealed class PackedValueArenaTests
{
    [Fact]
    public void Take_RowsGetDisjointBytes()
    {
        var arena = default(PackedValueArena);
        var rows = Enumerable.Range(0, 300).Select(i => arena.Take(200, 300 - i)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Span.Fill((byte)i);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(200, rows[i].Length);
            Assert.True(rows[i].Span.IndexOfAnyExcept((byte)i) < 0, $"row {i} was overwritten");
        }
    }

    [Fact]
    public void Take_ChunksStayBelowTheLargeObjectHeap()
    {
        var arena = default(PackedValueArena);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(MemoryMarshal.TryGetArray<byte>(arena.Take(200, 1_000 - i), out var segment));
            Assert.InRange(segment.Array!.Length, 200, 16 * 1024);
        }
    }

    [Fact]
    public void Take_FewRows_TakeNoWholeChunk()
    {
        var arena = default(PackedValueArena);

        Assert.True(MemoryMarshal.TryGetArray<byte>(arena.Take(200, rowsLeft: 1), out var segment));

        Assert.Equal(200, segment.Array!.Length);
    }

    [Fact]
    public void Take_RowLargerThanAChunk_GetsItsOwnArray()
    {
        var arena = default(PackedValueArena);

        var row = arena.Take(40_000, rowsLeft: 5);

        Assert.Equal(40_000, row.Length);
        Assert.True(arena.Take(0, rowsLeft: 4).IsEmpty);
    }
}

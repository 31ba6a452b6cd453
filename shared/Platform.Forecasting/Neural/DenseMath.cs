using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Platform.Forecasting.Neural;

/// <summary>
/// The one matrix product the network needs, row-major float32: C[m×n] (+)= A·B with B row-major p×n and A read
/// through strides, so that the same kernel computes X·W (forward), Xᵀ·dY (weight gradients, A transposed by its
/// strides) and dY·Wᵀ (input gradients, from a transposed copy of W). The kernel keeps a 4-row × 2-vector block of
/// C in registers while it walks p, which is what makes a hand-written MLP fast enough to train on two cores.
/// Summation order depends only on the shapes, so results are reproducible on one machine.
/// </summary>
internal static class DenseMath
{
    public static void MultiplyAdd(
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, Span<float> c, int m, int p, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (b.Length < p * n || c.Length < m * n || (p > 0 && a.Length <= (m - 1) * aRowStride + (p - 1) * aColStride))
        {
            throw new ArgumentException($"Matrix spans are too short for a {m}×{p} by {p}×{n} product.");
        }

        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var w = Vector<float>.Count;
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            var j = 0;
            for (; j + 2 * w <= n; j += 2 * w)
            {
                Block4x2(ref a0, aRowStride, aColStride, ref b0, ref c0, i, j, p, n, accumulate);
            }

            for (; j + w <= n; j += w)
            {
                for (var r = i; r < i + 4; r++)
                {
                    Block1x1(ref a0, aRowStride, aColStride, ref b0, ref c0, r, j, p, n, accumulate);
                }
            }

            for (; j < n; j++)
            {
                for (var r = i; r < i + 4; r++)
                {
                    ScalarCell(ref a0, aRowStride, aColStride, ref b0, ref c0, r, j, p, n, accumulate);
                }
            }
        }

        for (; i < m; i++)
        {
            var j = 0;
            for (; j + w <= n; j += w)
            {
                Block1x1(ref a0, aRowStride, aColStride, ref b0, ref c0, i, j, p, n, accumulate);
            }

            for (; j < n; j++)
            {
                ScalarCell(ref a0, aRowStride, aColStride, ref b0, ref c0, i, j, p, n, accumulate);
            }
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row of the m×n matrix <paramref name="c"/>.</summary>
    public static void AddRowVector(Span<float> c, ReadOnlySpan<float> bias, int m, int n)
    {
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Adds the column sums of the m×n matrix <paramref name="c"/> to <paramref name="sums"/> (bias gradients).</summary>
    public static void AddColumnSums(ReadOnlySpan<float> c, Span<float> sums, int m, int n)
    {
        for (var i = 0; i < m; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sums, c.Slice(i * n, n), sums);
        }
    }

    /// <summary>dst[n×m] = srcᵀ for a row-major m×n source.</summary>
    public static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int m, int n)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                dst[j * m + i] = src[i * n + j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x2(ref float a, int ars, int acs, ref float b, ref float c, int i, int j, int p, int n, bool accumulate)
    {
        var w = Vector<float>.Count;
        var c00 = (nuint)(i * n + j);
        var c10 = c00 + (nuint)n;
        var c20 = c10 + (nuint)n;
        var c30 = c20 + (nuint)n;
        Vector<float> s00, s01, s10, s11, s20, s21, s30, s31;
        if (accumulate)
        {
            s00 = Vector.LoadUnsafe(ref c, c00); s01 = Vector.LoadUnsafe(ref c, c00 + (nuint)w);
            s10 = Vector.LoadUnsafe(ref c, c10); s11 = Vector.LoadUnsafe(ref c, c10 + (nuint)w);
            s20 = Vector.LoadUnsafe(ref c, c20); s21 = Vector.LoadUnsafe(ref c, c20 + (nuint)w);
            s30 = Vector.LoadUnsafe(ref c, c30); s31 = Vector.LoadUnsafe(ref c, c30 + (nuint)w);
        }
        else
        {
            s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector<float>.Zero;
        }

        var ar0 = i * ars;
        for (var k = 0; k < p; k++)
        {
            var bOffset = (nuint)(k * n + j);
            var b0 = Vector.LoadUnsafe(ref b, bOffset);
            var b1 = Vector.LoadUnsafe(ref b, bOffset + (nuint)w);
            var aOffset = ar0 + k * acs;
            var x0 = new Vector<float>(Unsafe.Add(ref a, aOffset));
            var x1 = new Vector<float>(Unsafe.Add(ref a, aOffset + ars));
            var x2 = new Vector<float>(Unsafe.Add(ref a, aOffset + 2 * ars));
            var x3 = new Vector<float>(Unsafe.Add(ref a, aOffset + 3 * ars));
            s00 = Vector.FusedMultiplyAdd(x0, b0, s00); s01 = Vector.FusedMultiplyAdd(x0, b1, s01);
            s10 = Vector.FusedMultiplyAdd(x1, b0, s10); s11 = Vector.FusedMultiplyAdd(x1, b1, s11);
            s20 = Vector.FusedMultiplyAdd(x2, b0, s20); s21 = Vector.FusedMultiplyAdd(x2, b1, s21);
            s30 = Vector.FusedMultiplyAdd(x3, b0, s30); s31 = Vector.FusedMultiplyAdd(x3, b1, s31);
        }

        s00.StoreUnsafe(ref c, c00); s01.StoreUnsafe(ref c, c00 + (nuint)w);
        s10.StoreUnsafe(ref c, c10); s11.StoreUnsafe(ref c, c10 + (nuint)w);
        s20.StoreUnsafe(ref c, c20); s21.StoreUnsafe(ref c, c20 + (nuint)w);
        s30.StoreUnsafe(ref c, c30); s31.StoreUnsafe(ref c, c30 + (nuint)w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x1(ref float a, int ars, int acs, ref float b, ref float c, int i, int j, int p, int n, bool accumulate)
    {
        var cOffset = (nuint)(i * n + j);
        var s = accumulate ? Vector.LoadUnsafe(ref c, cOffset) : Vector<float>.Zero;
        var ar0 = i * ars;
        for (var k = 0; k < p; k++)
        {
            var x = new Vector<float>(Unsafe.Add(ref a, ar0 + k * acs));
            s = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b, (nuint)(k * n + j)), s);
        }

        s.StoreUnsafe(ref c, cOffset);
    }

    private static void ScalarCell(ref float a, int ars, int acs, ref float b, ref float c, int i, int j, int p, int n, bool accumulate)
    {
        ref var cell = ref Unsafe.Add(ref c, i * n + j);
        var s = accumulate ? cell : 0f;
        var ar0 = i * ars;
        for (var k = 0; k < p; k++)
        {
            s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, ar0 + k * acs), Unsafe.Add(ref b, k * n + j), s);
        }

        cell = s;
    }
}

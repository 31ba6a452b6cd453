using Platform.Forecasting.Neural;

namespace Platform.Forecasting.Tests.Neural;

public class DenseMathTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 3)]
    [InlineData(9, 13, 37)]
    [InlineData(4, 20, 16)]
    [InlineData(13, 11, 72)]
    public void DenseMath_MatchesNaiveProductForAnyShape(int m, int p, int n)
    {
        var random = new DeterministicRandom(3);
        var a = Random(m * p, random);
        var b = Random(p * n, random);
        var start = Random(m * n, random);

        // Row-major A, then the same A read transposed through strides (as the weight gradients read it).
        var direct = (float[])start.Clone();
        DenseMath.MultiplyAdd(a, p, 1, b, direct, m, p, n, accumulate: true);
        var aT = new float[p * m];
        DenseMath.Transpose(a, aT, m, p);
        var strided = new float[m * n];
        DenseMath.MultiplyAdd(aT, 1, m, b, strided, m, p, n, accumulate: false);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double expected = 0;
                for (var k = 0; k < p; k++)
                {
                    expected += (double)a[i * p + k] * b[k * n + j];
                }

                Assert.Equal(expected + start[i * n + j], direct[i * n + j], 1e-4);
                Assert.Equal(expected, strided[i * n + j], 1e-4);
            }
        }
    }

    private static float[] Random(int count, DeterministicRandom random) =>
        Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian()).ToArray();
}

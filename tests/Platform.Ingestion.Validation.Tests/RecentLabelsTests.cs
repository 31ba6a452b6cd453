namespace Platform.Ingestion.Validation.Tests;

public sealed class RecentLabelsTests
{
    [Fact]
    public void Get_ReturnsTheSameStringForRepeatedLabels_AndTheRightStringAfterCollisions()
    {
        var first = RecentLabels.Get("eu-west"u8);
        Assert.Equal("eu-west", first);
        Assert.Same(first, RecentLabels.Get("eu-west"u8));

        // Hundreds of distinct labels overwrite slots; each lookup must still return its own text, never a neighbour's.
        for (var i = 0; i < 500; i++)
        {
            var label = $"region-{i}";
            Assert.Equal(label, RecentLabels.Get(System.Text.Encoding.ASCII.GetBytes(label)));
        }

        Assert.Equal("eu-west", RecentLabels.Get("eu-west"u8));
        Assert.Equal("", RecentLabels.Get(""u8));
        Assert.Equal("eu-wes", RecentLabels.Get("eu-wes"u8));
    }
}

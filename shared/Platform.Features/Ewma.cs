namespace Platform.Features;

/// <summary>
/// Exponentially weighted mean and variance of hourly net demand, fed one closed hour at a time in hour order.
/// Only a function of the sequence of (hour, demand) pairs, so it is the same however the hours are split into calls.
/// </summary>
internal struct Ewma
{
    public double Mean;
    public double Variance;

    /// <summary>The next hour to feed; every hour before it has been fed (or skipped past the cap).</summary>
    public int NextHour;

    /// <summary>Zero-demand hours in a row so far, saturating at the cap.</summary>
    public int EmptyRun;

    public bool Started;

    /// <summary>Feeds the empty hours before <paramref name="hour"/>, then the hour itself.</summary>
    public void Observe(int hour, double demand, double alpha, int maxEmptyHours)
    {
        SkipTo(hour, alpha, maxEmptyHours);
        if (!Started)
        {
            // The entity's first hour seeds the mean; a zero seed would read as a long run of no demand.
            Mean = demand;
            Variance = 0;
            Started = true;
        }
        else
        {
            Update(demand, alpha);
        }

        NextHour = hour + 1;
        EmptyRun = 0;
    }

    /// <summary>Feeds zero demand for the hours from <see cref="NextHour"/> up to, not including, <paramref name="hour"/>.</summary>
    public void SkipTo(int hour, double alpha, int maxEmptyHours)
    {
        if (!Started)
        {
            NextHour = Math.Max(NextHour, hour);
            return;
        }

        var gap = hour - NextHour;
        if (gap <= 0) return;
        var replay = Math.Min(gap, Math.Max(0, maxEmptyHours - EmptyRun));
        for (var i = 0; i < replay; i++)
        {
            Update(0, alpha);
        }

        EmptyRun = (int)Math.Min(maxEmptyHours, (long)EmptyRun + gap);
        NextHour = hour;
    }

    private void Update(double x, double alpha)
    {
        var diff = x - Mean;
        var increment = alpha * diff;
        Mean += increment;
        Variance = (1 - alpha) * (Variance + diff * increment);
    }
}

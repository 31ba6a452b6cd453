namespace Platform.Simulator;

/// <summary>Multiplier of the base order rate at a simulated time: hour of day, day of week, holidays, yearly cycle, trend.</summary>
internal sealed class Seasonality
{
    private readonly double[] _hour;
    private readonly double[] _dayOfWeek;
    private readonly double _yearlyAmplitude;
    private readonly double _annualGrowth;
    private readonly DateTimeOffset _start;

    public Seasonality(SimulatorOptions options)
    {
        var hourSum = options.HourOfDayWeights.Sum();
        var daySum = options.DayOfWeekWeights.Sum();
        // Normalised so that the mean of hour x day-of-week over a week is 1.
        _hour = options.HourOfDayWeights.Select(w => w * 24 / hourSum).ToArray();
        _dayOfWeek = options.DayOfWeekWeights.Select(w => w * 7 / daySum).ToArray();
        _yearlyAmplitude = options.YearlyAmplitude;
        _annualGrowth = options.AnnualGrowth;
        _start = options.SimulatedStart;
    }

    public double HourWeight(int hour) => _hour[hour];

    public double Factor(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var dow = ((int)utc.DayOfWeek + 6) % 7; // Monday = 0
        var years = (t - _start).TotalDays / 365.25;
        var yearly = 1 + _yearlyAmplitude * Math.Cos(2 * Math.PI * (utc.DayOfYear - 320) / 365.25);
        var trend = Math.Pow(1 + _annualGrowth, years);
        return _hour[utc.Hour] * _dayOfWeek[dow] * Holiday(utc.Date) * yearly * trend;
    }

    /// <summary>Retail calendar: Black Friday, Cyber Monday, the run-up to Christmas and the quiet days after it.</summary>
    public static double Holiday(DateTime date)
    {
        if (date.Month == 11)
        {
            var blackFriday = BlackFriday(date.Year);
            if (date == blackFriday) return 2.5;
            if (date == blackFriday.AddDays(3)) return 2.0;
            return 1.0;
        }

        if (date.Month == 12)
        {
            return date.Day switch
            {
                <= 20 => 1.3,
                <= 23 => 1.1,
                24 => 0.5,
                25 => 0.1,
                26 => 0.3,
                31 => 0.6,
                _ => 0.8,
            };
        }

        return date is { Month: 1, Day: 1 } ? 0.2 : 1.0;
    }

    /// <summary>The day after the fourth Thursday of November.</summary>
    public static DateTime BlackFriday(int year)
    {
        var first = new DateTime(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(22);
    }
}

namespace Platform.Forecasting.Anomaly;

/// <param name="Windows">Scored (eligible) windows of this kind.</param>
/// <param name="Detected">Of those, the ones with at least one flag.</param>
/// <param name="Ineligible">Windows of this kind left out of recall by the caller's eligibility rule.</param>
public sealed record KindRecall(string Kind, int Windows, int Detected, int Ineligible)
{
    public double Recall => Windows == 0 ? 0 : (double)Detected / Windows;
}

using Platform.Alerting.Model;

namespace Platform.Alerting.Engine;

/// <summary>What an acknowledge or resolve did, and the alert as it is now (null when not found).</summary>
/// <param name="Outcome">Done, or why not.</param>
/// <param name="Alert">The alert after the action.</param>
/// <param name="PagerDutyEvents">PagerDuty events handed to the delivery queue.</param>
/// <param name="PagerDutyFailures">PagerDuty events that could not be queued (logged; the call may be repeated).</param>
public sealed record AlertActionResult(AlertActionOutcome Outcome, AlertRecord? Alert, int PagerDutyEvents = 0, int PagerDutyFailures = 0);
